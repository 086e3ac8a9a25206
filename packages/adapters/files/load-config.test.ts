import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/index.ts';
import { loadConfig } from './load-config.ts';

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
    const config = await loadConfig({ workspace: cwd });
    expect(config.devops_automator.deployment.default_strategy).toBe('canary');
  });

  it('runs on the defaults when the default file is absent', async () => {
    expect(await loadConfig({ workspace: cwd })).toEqual(parseConfig('', 'defaults'));
    expect(await loadConfig({ workspace: cwd, path: '' })).toEqual(parseConfig('', 'defaults'));
  });

  it('reads a path the user names, and names it in messages', async () => {
    await writeFile(join(cwd, 'deploy.yaml'), 'devops_automator:\n  enabled: nope\n');
    await expect(loadConfig({ workspace: cwd, path: 'deploy.yaml' })).rejects.toThrow(
      'deploy.yaml:2:12: devops_automator.enabled: "nope" is not valid; use true or false',
    );
  });

  it('refuses a named path that does not exist', async () => {
    await expect(loadConfig({ workspace: cwd, path: 'ci/devops.yaml' })).rejects.toThrow('config: "ci/devops.yaml" not found in the workspace');
  });

  it('refuses a default path it cannot read', async () => {
    await mkdir(join(cwd, '.sidhe/devops.yaml'), { recursive: true });
    await expect(loadConfig({ workspace: cwd })).rejects.toThrow('config: ".sidhe/devops.yaml" is not a regular file');
  });
});

describe('the configuration file is bounded', () => {
  it('refuses a file over 256 kB before parsing it, saying its size and the limit', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sidhe-config-'));
    try {
      await writeFile(join(cwd, 'big.yaml'), `# ${'x'.repeat(300 * 1024)}\n`);
      await expect(loadConfig({ workspace: cwd, path: 'big.yaml' })).rejects.toThrow('config: "big.yaml" is 300 kB; the limit is 256 kB');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
