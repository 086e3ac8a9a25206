import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchWorkspaceFiles } from '../files/workspace-glob.ts';
import { collectReports } from './collect-reports.ts';
import { FIXTURES } from './fixtures.ts';

let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'sidhe-reports-'));
  cpSync(path.join(FIXTURES, 'junit'), path.join(workspace, 'results'), { recursive: true });
  cpSync(path.join(FIXTURES, 'coverage'), path.join(workspace, 'coverage'), { recursive: true });
  // The sources the Surefire and pytest reports name, where a Maven and a Python project keep them.
  for (const file of ['src/test/java/com/example/shop/CartTest.java', 'tests/test_stock.py']) {
    mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    writeFileSync(path.join(workspace, file), '\n');
  }
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('collecting reports from the workspace', () => {
  it('matches patterns relative to the workspace, with exclusions, as sorted relative paths', async () => {
    expect((await matchWorkspaceFiles('junit', ['results/**/*.xml', '!results/pytest*.xml'], workspace)).map((m) => m.file)).toEqual([
      'results/gotestsum.xml',
      'results/jest-junit.xml',
      'results/node-test.xml',
      'results/surefire/TEST-com.example.shop.CartTest.xml',
      'results/surefire/TEST-com.example.shop.EmptyCartTest.xml',
      'results/vitest.xml',
    ]);
  });

  it('reads each kind given, and leaves a kind that matched nothing without reports', async () => {
    const evidence = await collectReports(
      { junit: ['results/surefire/*.xml'], coverage: ['coverage/*.json', 'coverage/none/*.xml'], sarif: ['sarif/*.sarif'] },
      workspace,
    );
    expect(evidence.junit?.reports.map((r) => [r.report, r.total])).toEqual([
      ['results/surefire/TEST-com.example.shop.CartTest.xml', 5],
      ['results/surefire/TEST-com.example.shop.EmptyCartTest.xml', 1],
    ]);
    expect(evidence.coverage?.reports.map((r) => r.report)).toEqual(['coverage/c8-coverage-summary.json']);
    expect(evidence.sarif).toEqual({ patterns: ['sarif/*.sarif'], reports: [] });
    expect(evidence.trivy).toBeUndefined();
  });

  it('finds the file a JVM frame names under its source folder, and keeps paths that exist as given', async () => {
    const evidence = await collectReports({ junit: ['results/surefire/TEST-com.example.shop.CartTest.xml', 'results/pytest.xml'] }, workspace);
    expect(evidence.junit?.reports.flatMap((r) => r.failures.map((f) => `${f.file}:${f.line}`))).toEqual([
      'tests/test_stock.py:23',
      'tests/test_stock.py:49',
      'src/test/java/com/example/shop/CartTest.java:23',
      'src/test/java/com/example/shop/CartTest.java:34',
    ]);
  });

  it('names the unreadable file relative to the workspace', async () => {
    writeFileSync(path.join(workspace, 'results', 'broken.xml'), '<testsuites><testsuite>');
    await expect(collectReports({ junit: ['results/broken.xml'] }, workspace)).rejects.toThrow('junit report results/broken.xml is not well-formed XML');
  });
});
