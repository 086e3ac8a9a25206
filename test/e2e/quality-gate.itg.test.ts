import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleRun } from '../harness/run-bundle.ts';
import { FakeGitHubApi } from '../support/fake-github-api.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/reports');
const CONFIG = `
deployment_strategies:
  production: { quality_gates: [linting_check, security_scan, performance_test] }
  staging: { quality_gates: [basic_tests, coverage_check] }
  preview: { quality_gates: [lint] }
`;

/** A checkout as CI leaves it: reports where the tools wrote them, the sources they name, the config file. */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-qg-'));
  const put = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  cpSync(path.join(FIXTURES, 'junit'), path.join(dir, 'test-results'), { recursive: true });
  cpSync(path.join(FIXTURES, 'coverage'), path.join(dir, 'coverage'), { recursive: true });
  cpSync(path.join(FIXTURES, 'malformed'), path.join(dir, 'broken'), { recursive: true });
  cpSync(path.join(FIXTURES, 'trivy', 'trivy-fs.json'), path.join(dir, 'trivy-results.json'));
  cpSync(path.join(FIXTURES, 'sarif', 'codeql-javascript.sarif'), path.join(dir, 'sarif', 'codeql.sarif'));
  // ESLint wrote absolute file URIs of the tree it linted: here, this workspace.
  put('sarif/eslint.sarif', readFileSync(path.join(FIXTURES, 'sarif', 'eslint.sarif'), 'utf8').replaceAll('file:///tmp/fx/lint/', `file://${dir}/`));
  for (const source of [
    'src/cart.test.ts',
    'src/errors.test.ts',
    'src/checkout.js',
    'src/routes/orders.js',
    'src/routes/search.js',
    'config/settings.py',
    'deploy/release.sh',
  ]) {
    put(source, '\n');
  }
  put('.sidhe/devops.yaml', CONFIG);
  return dir;
}

const qualityGate = (inputs: Record<string, string>, env: Record<string, string> = {}, ws = workspace()): Promise<BundleRun> =>
  runBundle('quality-gate', inputs, { workspace: ws, env });

/** The error annotations placed on a file, as `file:line: title: message`. */
const annotations = (run: BundleRun): string[] =>
  run.stdout
    .split('\n')
    .filter((line) => /^::error .*file=/.test(line))
    .map((line) => {
      const [, props = '', message = ''] = /^::error ([^:]*)::(.*)$/.exec(line) ?? [];
      const prop = (name: string) => new RegExp(`(?:^|,)${name}=([^,]*)`).exec(props)?.[1] ?? '';
      const unescape = (text: string) => text.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%25/g, '%');
      return `${unescape(prop('file'))}:${prop('line')}: ${unescape(prop('title'))}: ${unescape(message)}`;
    });

const results = (run: BundleRun) =>
  (JSON.parse(run.outputs.results!) as { gate: string; value: unknown; threshold: unknown; passed: boolean }[]).map((r) => [
    r.gate,
    r.value,
    r.threshold,
    r.passed,
  ]);

describe('quality-gate through the committed bundle', () => {
  it('passes when every gate holds, writing outputs, the JSON report and a row a gate', async () => {
    const run = await qualityGate({
      junit: 'test-results/surefire/*EmptyCartTest.xml',
      coverage: 'coverage/c8-cobertura.xml',
      'min-coverage': '75%',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.passed).toBe('true');
    expect(results(run)).toEqual([
      ['max-failed-tests', 0, 0, true],
      ['min-coverage', 76.47, 75, true],
    ]);
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
    expect(report.reportFiles).toEqual({ junit: ['test-results/surefire/TEST-com.example.shop.EmptyCartTest.xml'], coverage: ['coverage/c8-cobertura.xml'] });
    expect(run.summary).toContain('## Quality gate: ✅ passed');
    expect(run.summary).toContain('| max-failed-tests | 0 | ≤ 0 | ✅ pass | 1 tests: 1 passed, 0 failed, 0 errored, 0 skipped (1 report) | default |');
    expect(run.summary).toContain('| min-coverage | 76.47% | ≥ 75% | ✅ pass | 26 of 34 lines covered (1 report: cobertura) | input min-coverage |');
  });

  it("fails production's gate set on tests, lint errors and a CRITICAL secret, listing and annotating each place", async () => {
    const run = await qualityGate({
      gates: 'production',
      environment: 'production',
      junit: 'test-results/vitest.xml',
      sarif: 'sarif/*.sarif',
      trivy: 'trivy-results.json',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.outputs['report-path']).toMatch(/sidhe-quality-gate-\d+\.json$/);
    expect(results(run)).toEqual([
      ['max-failed-tests', 3, 0, false],
      ['max-sarif-errors', 5, 0, false],
      ['max-severity', 'CRITICAL', 'HIGH', false],
    ]);
    expect(run.errors.at(-1)).toBe(
      'quality-gate failed: 3 of 3 gates failed: max-failed-tests 3 (threshold 0); max-sarif-errors 5 (threshold 0); max-severity CRITICAL (threshold HIGH)',
    );
    expect(run.summary).toContain('## Quality gate for production: ❌ failed');
    expect(run.summary).toContain('Gate set `production` (deployment_strategies.production.quality_gates): linting_check, security_scan, performance_test.');
    expect(run.summary).toContain(
      '| max-severity | CRITICAL | ≤ HIGH | ❌ fail | 8 findings: 3 CRITICAL, 3 HIGH, 1 MEDIUM, 1 LOW; 3 above HIGH | security_scan |',
    );
    expect(run.summary).toContain('- src/cart.test.ts:9: src/cart.test.ts › total > rounds to cents: expected 0.3 to be 0.31 // Object.is equality');
    expect(run.summary).toContain("- src/checkout.js:7: ESLint no-debugger: Unexpected 'debugger' statement.");
    expect(run.summary).toContain('- config/settings.py:2: trivy aws-access-key-id (CRITICAL): AWS Access Key ID');
    expect(annotations(run)).toEqual([
      'src/cart.test.ts:9: src/cart.test.ts › total > rounds to cents: expected 0.3 to be 0.31 // Object.is equality',
      'src/cart.test.ts:22: src/cart.test.ts › discount > takes ten off: expected 15 to be 5 // Object.is equality',
      "src/errors.test.ts:4: src/errors.test.ts › reads the price list: Cannot read properties of undefined (reading 'price')",
      'src/routes/orders.js:14: CodeQL js/sql-injection (HIGH): This query string depends on a [user-provided value](1).',
      'src/routes/search.js:9: CodeQL js/reflected-xss (MEDIUM): Cross-site scripting vulnerability due to a [user-provided value](1).',
      "src/checkout.js:2: ESLint no-unused-vars: 'tax' is assigned a value but never used.",
      "src/checkout.js:7: ESLint no-debugger: Unexpected 'debugger' statement.",
      "src/checkout.js:8: ESLint no-undef: 'submitOrder' is not defined.",
      'config/settings.py:2: trivy aws-access-key-id (CRITICAL): AWS Access Key ID',
      'config/settings.py:3: trivy aws-secret-access-key (CRITICAL): AWS Secret Access Key',
      'deploy/release.sh:3: trivy github-pat (CRITICAL): GitHub Personal Access Token',
    ]);
  });

  it("applies the environment's gate set, and fails a gate whose reports matched nothing", async () => {
    const run = await qualityGate({ environment: 'staging', junit: 'test-results/none/*.xml', coverage: 'coverage/c8.lcov.info' });
    expect(run.exitCode).toBe(1);
    expect(results(run)).toEqual([
      ['max-failed-tests', null, 0, false],
      ['min-coverage', 76.47, 80, false],
    ]);
    expect(run.summary).toContain('| max-failed-tests | – | ≤ 0 | ❌ fail | no report matched `test-results/none/*.xml` | basic_tests |');
    expect(run.errors.at(-1)).toBe(
      'quality-gate failed: 2 of 2 gates failed: max-failed-tests: no report matched `test-results/none/*.xml`; min-coverage 76.47% (threshold 80)',
    );
  });

  it('reads Maven Surefire and pytest reports together and annotates the sources they name', async () => {
    const ws = workspace();
    mkdirSync(path.join(ws, 'src/test/java/com/example/shop'), { recursive: true });
    writeFileSync(path.join(ws, 'src/test/java/com/example/shop/CartTest.java'), '\n');
    mkdirSync(path.join(ws, 'tests'));
    writeFileSync(path.join(ws, 'tests/test_stock.py'), '\n');
    const run = await qualityGate({ junit: 'test-results/surefire/*.xml\ntest-results/pytest.xml', 'max-failed-tests': '4' }, {}, ws);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(results(run)).toEqual([['max-failed-tests', 4, 4, true]]);
    expect(annotations(run)).toEqual([
      "tests/test_stock.py:23: tests.test_stock › test_low_stock_lists_sorted: AssertionError: assert ['a', 'b'] == ['a', 'b', 'c']",
      'tests/test_stock.py:49: tests.test_stock › test_uses_database: failed on setup with "RuntimeError: database unavailable"',
      'src/test/java/com/example/shop/CartTest.java:23: com.example.shop.CartTest › appliesVolumeDiscount: ten or more items get 10% off ==> expected: <900> but was: <1000>',
      'src/test/java/com/example/shop/CartTest.java:34: com.example.shop.CartTest › readsPriceList: Cannot invoke "String.length()" because "prices" is null',
    ]);
  });
});

describe('quality-gate with required check runs (GitHub API fake, real Octokit)', () => {
  const TOKEN = 'fake-token-for-tests';
  const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const api = new FakeGitHubApi(TOKEN, ['acme/shop']);
  let env: Record<string, string>;

  beforeAll(async () => {
    const url = await api.start();
    env = { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA, GITHUB_RUN_ID: '9' };
    api.addCheckRun('acme/shop', SHA, {
      name: 'build',
      status: 'completed',
      conclusion: 'success',
      details_url: 'https://github.com/acme/shop/actions/runs/9/job/1',
    });
    api.addCheckRun('acme/shop', SHA, { name: 'CodeQL', status: 'completed', conclusion: 'failure', details_url: 'https://github.com/acme/shop/runs/5' });
    api.addCheckRun('acme/shop', SHA, { name: 'quality-gate', status: 'in_progress', details_url: 'https://github.com/acme/shop/actions/runs/9/job/2' });
  });
  afterAll(() => api.stop());

  it('passes named checks that succeeded', async () => {
    const run = await qualityGate({ 'required-checks': 'build', 'github-token': TOKEN }, env);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(results(run)).toEqual([['required-checks', '1 of 1', 'build', true]]);
    expect(api.requests).toContain(`GET /repos/acme/shop/commits/${SHA}/check-runs?filter=latest&per_page=100`);
  });

  it('fails `all` on a failed check, leaving out its own unfinished job', async () => {
    const run = await qualityGate({ 'required-checks': 'all', 'github-token': TOKEN }, env);
    expect(run.exitCode).toBe(1);
    expect(results(run)).toEqual([['required-checks', '1 of 2', 'all', false]]);
    expect(run.summary).toContain('| required-checks | 1 of 2 | all | ❌ fail | CodeQL: failure |');
  });

  it('names a missing check and the ones there are', async () => {
    const run = await qualityGate({ 'required-checks': 'build\ne2e (ubuntu, 24)', 'github-token': TOKEN }, env);
    expect(run.errors.at(-1)).toBe('quality-gate failed: 1 of 1 gates failed: required-checks 1 of 2 (threshold build, e2e (ubuntu, 24))');
    expect(run.summary).toContain('e2e (ubuntu, 24): not found; runs on a1b2c3d4e5f6: quality-gate, CodeQL, build');
  });

  it('explains a token GitHub refuses', async () => {
    const run = await qualityGate({ 'required-checks': 'build', 'github-token': 'wrong' }, env);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.errors.at(-1)).toBe(
      `quality-gate failed: GitHub refused the token reading check runs of acme/shop@${SHA} (Bad credentials); pass a valid github-token`,
    );
  });
});

describe('quality-gate refuses bad inputs with a message naming what to fix', () => {
  it.each([
    [
      { junit: 'broken/truncated-junit.xml' },
      'junit report broken/truncated-junit.xml is not well-formed XML (line 26, column 13): the file ends inside <failure> (is it truncated?)',
    ],
    [{ sarif: 'broken/truncated.sarif' }, 'sarif report broken/truncated.sarif is not valid JSON: '],
    [
      { coverage: 'broken/truncated-coverage-summary.json' },
      'coverage report broken/truncated-coverage-summary.json is not valid JSON: the file ends too early (is it truncated?)',
    ],
    [{ gates: 'prod' }, 'gates: "prod" is not valid; use an environment of deployment_strategies in .sidhe/devops.yaml: production, staging, preview'],
    [
      { gates: 'preview' },
      'deployment_strategies.preview.quality_gates names the unknown quality gate "lint"; known gates: basic_tests, coverage_check, linting_check, performance_test, security_scan',
    ],
    [{ trivy: 'trivy-results.json', 'max-severity': 'SEVERE' }, 'max-severity: "SEVERE" is not valid; use one of: LOW, MEDIUM, HIGH, CRITICAL'],
    [{ coverage: 'coverage/c8.lcov.info', 'min-coverage': '120%' }, 'min-coverage: "120%" is not valid; use a percentage from 0 to 100'],
    [{ junit: 'test-results/vitest.xml', 'max-failed-tests': '-1' }, 'max-failed-tests: "-1" is not valid; use a whole number 0 or more'],
    [
      { 'required-checks': 'all' },
      "required-checks needs github-token, GITHUB_REPOSITORY, GITHUB_SHA (or the ref input) to read the commit's check runs; none was given",
    ],
    [{}, 'nothing to check: give reports (junit, coverage, sarif, trivy), a threshold, required-checks, or gates naming a gate set'],
  ])('%j', async (inputs, message) => {
    const run = await qualityGate(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.errors.at(-1)).toContain(`quality-gate failed: ${message}`);
  });
});
