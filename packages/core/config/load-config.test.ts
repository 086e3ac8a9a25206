import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';
import { parseConfig } from './parse-config.ts';

describe('loadConfig', () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'sidhe-config-'));
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('reads .sidhe/devops.yaml under cwd', async () => {
    await mkdir(join(cwd, '.sidhe'));
    await writeFile(join(cwd, '.sidhe/devops.yaml'), 'devops_automator: { deployment: { default_strategy: canary } }\n');
    const config = await loadConfig({ cwd });
    expect(config.devops_automator.deployment.default_strategy).toBe('canary');
  });

  it('runs on the defaults when the default file is absent', async () => {
    expect(await loadConfig({ cwd })).toEqual(parseConfig('', 'defaults'));
    expect(await loadConfig({ cwd, path: '' })).toEqual(parseConfig('', 'defaults'));
  });

  it('reads a path the user names, and names it in messages', async () => {
    await writeFile(join(cwd, 'deploy.yaml'), 'devops_automator:\n  enabled: nope\n');
    await expect(loadConfig({ cwd, path: 'deploy.yaml' })).rejects.toThrow(
      'deploy.yaml:2:12: devops_automator.enabled: "nope" is not valid; use true or false',
    );
  });

  it('refuses a named path that does not exist', async () => {
    await expect(loadConfig({ cwd, path: 'ci/devops.yaml' })).rejects.toThrow(
      `config file ci/devops.yaml not found (looked for ${join(cwd, 'ci/devops.yaml')})`,
    );
  });

  it('refuses a default path it cannot read', async () => {
    await mkdir(join(cwd, '.sidhe/devops.yaml'), { recursive: true });
    await expect(loadConfig({ cwd })).rejects.toThrow('config file .sidhe/devops.yaml cannot be read: EISDIR');
  });
});
