import type { InputName, InputSpec } from '../../../packages/runtime/action-definition.ts';
import { qualityGate } from '../../quality-gate/definition.ts';

export type GateInput = InputName<typeof qualityGate>;

/** The quality-gate inputs a deploy may set in `quality-gates`; the deploy supplies environment, token, config and event bus. */
export const GATE_KEYS = Object.keys(qualityGate.inputs).filter(
  (k) => !['environment', 'github-token', 'config', 'events-redis-url'].includes(k),
) as GateInput[];

/** The deploy actions' `quality-gates` input. Apart from the gates' code, so a definition loads no more than definitions. */
export const qualityGatesInput: InputSpec = {
  description: `Quality gates that must pass before any traffic moves: \`name: value\` lines (YAML) taking the quality-gate action's inputs (${GATE_KEYS.join(', ')}), e.g. \`junit: reports/*.xml\` and \`min-coverage: 85%\`. The environment's \`deployment_strategies.<environment>.quality_gates\` apply too. A failed gate refuses the deploy; traffic is not touched.`,
};
