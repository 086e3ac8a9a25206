import type { XmlElement } from '@rgrove/parse-xml';
import type { TestReport } from '../../core/gates/index.ts';
import { failureLocation } from './failure-location.ts';
import { reportError } from './report-error.ts';
import { attr, children, parseXml, text, type XmlNode } from './xml-document.ts';

const KIND = 'junit';

/** Who wrote the file, from the marks each tool leaves; it decides one quirk (pytest's 0-based lines). */
function producer(root: XmlNode, suites: XmlElement[]): string {
  const name = attr(children(root, 'testsuites')[0], 'name') ?? '';
  const known = /^(pytest|vitest|jest)\b/.exec(name)?.[1];
  if (known) return known;
  const first = suites[0];
  if (attr(first, 'name') === 'pytest') return 'pytest';
  if ((attr(first, 'xsi:noNamespaceSchemaLocation') ?? '').includes('surefire')) return 'surefire';
  if (children(children(first, 'properties')[0], 'property').some((p) => attr(p, 'name') === 'go.version')) return 'go';
  return 'junit';
}

// Go's JUnit writers say only `Failed` and wrap the test's output in `=== RUN` / `--- FAIL` lines.
const UNINFORMATIVE = /^(failed$|=== RUN|--- (FAIL|SKIP|PASS))/i;

function firstLine(...texts: (string | undefined)[]): string {
  for (const t of texts) {
    const line = t
      ?.split('\n')
      .map((l) => l.trim())
      .find((l) => l && !UNINFORMATIVE.test(l));
    if (line) return line.length > 300 ? `${line.slice(0, 297)}...` : line;
  }
  return 'failed';
}

type Tally = Omit<TestReport, 'report' | 'tool'>;

function readCase(testcase: XmlElement, suiteName: string, tool: string, tally: Tally): void {
  tally.total += 1;
  // A skipped test that also carries a failure is node's failed `todo`: node counts it as todo.
  if (children(testcase, 'skipped').length > 0) {
    tally.skipped += 1;
    return;
  }
  const problem = children(testcase, 'failure')[0] ?? children(testcase, 'error')[0];
  if (!problem) {
    tally.passed += 1;
    return;
  }
  const status = children(testcase, 'failure').length > 0 ? 'failed' : 'errored';
  tally[status] += 1;
  const classname = attr(testcase, 'classname') ?? '';
  const lineAttr = Number(attr(testcase, 'line'));
  const file = attr(testcase, 'file');
  const body = `${attr(problem, 'message') ?? ''}\n${text(problem)}`;
  const location = failureLocation(body, {
    classname,
    ...(file ? { file } : {}),
    // pytest's xunit1 `line` counts from 0.
    ...(Number.isInteger(lineAttr) ? { line: tool === 'pytest' ? lineAttr + 1 : lineAttr } : {}),
  });
  tally.failures.push({
    suite: classname || suiteName,
    name: attr(testcase, 'name') ?? '',
    status,
    message: firstLine(attr(problem, 'message'), text(problem), attr(testcase, 'failure')),
    ...location,
  });
}

/** The testcases directly under `suite`. */
function readCases(suite: XmlElement, tool: string, tally: Tally): void {
  const cases = children(suite, 'testcase');
  const before = { total: tally.total, passed: tally.passed };
  for (const testcase of cases) readCase(testcase, attr(suite, 'name') ?? '', tool, tally);
  // jest-junit writes `todo` tests as bare testcases but leaves them out of the suite's `tests`:
  // a testcase the suite does not count did not run.
  const declared = Number(attr(suite, 'tests'));
  const surplus = Number.isInteger(declared) ? cases.length - declared : 0;
  if (surplus > 0 && tally.passed - before.passed >= surplus) {
    tally.passed -= surplus;
    tally.skipped += surplus;
  }
}

function readSuite(suite: XmlElement, tool: string, tally: Tally): void {
  readCases(suite, tool, tally);
  for (const nested of children(suite, 'testsuite')) readSuite(nested, tool, tally);
}

/**
 * A JUnit XML report, as node's test runner, vitest, jest-junit, pytest, Maven Surefire and Go's
 * gotestsum/go-junit-report write it. Counts come from the testcases (suite attributes disagree
 * between tools), so they equal what each tool printed.
 */
export function parseJUnit(file: string, xml: string): TestReport {
  const root = parseXml(KIND, file, xml);
  const top = children(root, 'testsuites');
  const suites = top.length ? top.flatMap((t) => children(t, 'testsuite')) : children(root, 'testsuite');
  if (top.length === 0 && suites.length === 0) {
    throw reportError(KIND, file, 'has no <testsuites> or <testsuite> element; is it a JUnit XML report?');
  }
  const tool = producer(root, suites);
  const tally: Tally = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, failures: [] };
  for (const suite of suites) readSuite(suite, tool, tally);
  // node's test runner writes tests outside any describe() straight under <testsuites>.
  for (const t of top) readCases(t, tool, tally);
  return { report: file, tool, ...tally };
}
