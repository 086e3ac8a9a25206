import { chooseStrategy } from '../../packages/core/config/choose-strategy.ts';
import type { DeploymentStrategy } from '../../packages/core/config/schema.ts';
import { checkNamePart } from '../../packages/core/deploy/release.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import type { ActionMain } from '../../packages/runtime/run-action.ts';
import { loadActionConfig } from '../action-config.ts';
import { deployBlueGreenMain } from '../deploy-blue-green/main.ts';
import { deployCanaryMain } from '../deploy-canary/main.ts';
import { deploy } from './definition.ts';
import { deployDirectMain } from './direct-main.ts';
import { deployPreviewMain } from './preview-main.ts';
import { previewEnvironment, previewNumber } from '../../packages/core/previews/preview-place.ts';

const DOORS: Record<DeploymentStrategy, ActionMain> = {
  direct: deployDirectMain,
  blue_green: deployBlueGreenMain,
  canary: deployCanaryMain,
};

/**
 * deploy: chooses the strategy (input, else the environment's, else the default) and runs that
 * strategy's door with the same inputs, so every input keeps the one meaning it has there.
 */
export async function deployMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(deploy, io);
  const configPath = inputs.get('config');
  const config = await loadActionConfig(configPath, io);
  const preview = inputs.get('preview');
  const environment = checkNamePart('environment', preview ? previewEnvironment(preview) : inputs.required('environment'));
  if (previewNumber(environment) !== undefined) {
    io.log.info(`deploying the preview ${environment}: its own port and router entry, replaced in place`);
    await io.writeSummary([{ kind: 'paragraph', text: `Preview ${environment}: a pull request's own environment (previews in ${configPath}).` }]);
    return deployPreviewMain(io);
  }
  const { strategy, reason } = chooseStrategy(config, environment, inputs.get('strategy'), configPath);
  io.log.info(`deploying to ${environment} with the ${strategy} strategy, ${reason}`);
  await io.writeSummary([{ kind: 'paragraph', text: `Strategy ${strategy} for ${environment}, ${reason}.` }]);
  await DOORS[strategy](io);
}
