import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { fixture } from './fixtures.ts';
import { parseJUnit } from './junit.ts';

const read = (name: string) => parseJUnit(name, fixture(name));
const counts = ({ total, passed, failed, errored, skipped }: ReturnType<typeof read>) => ({ total, passed, failed, errored, skipped });
const located = (report: ReturnType<typeof read>) => report.failures.map((f) => [f.status, f.name, f.file, f.line]);

// Each expectation is what the tool printed when it wrote the file (see the fixtures' README).
describe('JUnit XML as real tools write it', () => {
  it('node --test: 10 tests, 5 pass, 3 fail, 1 skipped, 1 todo (a failing todo is not a failure)', () => {
    const report = read('junit/node-test.xml');
    expect(counts(report)).toEqual({ total: 10, passed: 5, failed: 3, errored: 0, skipped: 2 });
    expect(located(report)).toEqual([
      ['failed', 'rounds to cents', '/tmp/fx/node/test/cart.test.js', 13],
      ['failed', 'takes ten off with TENOFF', '/tmp/fx/node/test/cart.test.js', 22],
      ['failed', 'free code costs nothing', '/tmp/fx/node/test/cart.test.js', 35],
    ]);
    expect(report.failures[0]!.message).toBe('Expected values to be strictly equal:');
  });

  it('vitest: 3 failed | 3 passed | 1 skipped | 1 todo (8)', () => {
    const report = read('junit/vitest.xml');
    expect(report.tool).toBe('vitest');
    expect(counts(report)).toEqual({ total: 8, passed: 3, failed: 3, errored: 0, skipped: 2 });
    expect(located(report)).toEqual([
      ['failed', 'total > rounds to cents', 'src/cart.test.ts', 9],
      ['failed', 'discount > takes ten off', 'src/cart.test.ts', 22],
      ['failed', 'reads the price list', 'src/errors.test.ts', 4],
    ]);
    expect(report.failures[2]!.message).toBe("Cannot read properties of undefined (reading 'price')");
  });

  it('jest-junit: 2 failed, 1 skipped, 1 todo, 3 passed, 7 total (the todo testcase the suite does not count)', () => {
    const report = read('junit/jest-junit.xml');
    expect(counts(report)).toEqual({ total: 7, passed: 3, failed: 2, errored: 0, skipped: 2 });
    expect(located(report)).toEqual([
      ['failed', 'total rounds to cents', '/tmp/fx/jest/__tests__/cart.test.js', 11],
      ['failed', 'checkout charges the total', '/tmp/fx/jest/__tests__/checkout.test.js', 6],
    ]);
  });

  it.each(['junit/pytest.xml', 'junit/pytest-xunit1.xml'])('pytest %s: 1 failed, 5 passed, 2 skipped, 1 xfailed, 1 error', (name) => {
    const report = read(name);
    expect(report.tool).toBe('pytest');
    expect(counts(report)).toEqual({ total: 10, passed: 5, failed: 1, errored: 1, skipped: 3 });
    expect(located(report)).toEqual([
      ['failed', 'test_low_stock_lists_sorted', 'tests/test_stock.py', 23],
      ['errored', 'test_uses_database', 'tests/test_stock.py', 49],
    ]);
    expect(report.failures[1]!.message).toBe('failed on setup with "RuntimeError: database unavailable"');
  });

  it('Maven Surefire: Tests run: 5, Failures: 1, Errors: 1, Skipped: 1, frames mapped to the package path', () => {
    const report = read('junit/surefire/TEST-com.example.shop.CartTest.xml');
    expect(report.tool).toBe('surefire');
    expect(counts(report)).toEqual({ total: 5, passed: 2, failed: 1, errored: 1, skipped: 1 });
    expect(located(report)).toEqual([
      ['failed', 'appliesVolumeDiscount', 'com/example/shop/CartTest.java', 23],
      ['errored', 'readsPriceList', 'com/example/shop/CartTest.java', 34],
    ]);
    expect(counts(read('junit/surefire/TEST-com.example.shop.EmptyCartTest.xml'))).toEqual({ total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 });
  });

  it('gotestsum: DONE 8 tests, 1 skipped, 3 failures (a parent of a failed subtest fails too)', () => {
    const report = read('junit/gotestsum.xml');
    expect(report.tool).toBe('go');
    expect(counts(report)).toEqual({ total: 8, passed: 4, failed: 3, errored: 0, skipped: 1 });
    expect(located(report)).toEqual([
      ['failed', 'TestTotalVolumeDiscount', 'cart_test.go', 21],
      ['failed', 'TestTotalTable/rounding', 'cart_test.go', 38],
      ['failed', 'TestTotalTable', undefined, undefined],
    ]);
    expect(report.failures[0]!.message).toBe('cart_test.go:21: Total = 1000; want 900 (10% off ten or more)');
  });
});

describe('JUnit XML that cannot be read', () => {
  it('names the file, the line and what is wrong with a truncated file', () => {
    expect(() => read('malformed/truncated-junit.xml')).toThrow(
      'junit report malformed/truncated-junit.xml is not well-formed XML (line 26, column 13): the file ends inside <failure> (is it truncated?)',
    );
  });

  it('names a mismatched tag and where it is', () => {
    expect(() => parseJUnit('results.xml', '<testsuites>\n<testsuite>\n</testsuites>')).toThrow(
      'junit report results.xml is not well-formed XML (line 3, column 1): Missing end tag for element testsuite',
    );
  });

  it('refuses XML that is not JUnit', () => {
    expect(() => parseJUnit('coverage.xml', '<coverage lines-valid="1"/>')).toThrow(
      'junit report coverage.xml has no <testsuites> or <testsuite> element; is it a JUnit XML report?',
    );
  });

  it.each([
    ['an external entity', '<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'],
    ['a parameter entity', '<!DOCTYPE t [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'],
    [
      'an entity that expands a billion times',
      `<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">${[...'bcdefghi'].map((e, i) => `<!ENTITY ${e} "${`&${'abcdefgh'[i]};`.repeat(10)}">`).join('')}<!ENTITY x "&i;">]>`,
    ],
  ])('reports %s as the user’s to fix, naming the file', (_, doctype) => {
    const xml = `<?xml version="1.0"?>${doctype}<testsuites><testsuite name="s"><testcase name="&x;"/></testsuite></testsuites>`;
    const error = (() => {
      try {
        parseJUnit('evil.xml', xml);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(
      /^junit report evil\.xml is not well-formed XML \(line 1, column \d+\): Named entity isn't defined: &x; \(entities in a DOCTYPE are not read\)$/,
    );
  });

  it('quotes no more than a short piece of a broken file', () => {
    const tag = `t${'x'.repeat(5000)}`;
    const message = (() => {
      try {
        parseJUnit('deep.xml', `<testsuites>${`<${tag}>`.repeat(50)}`);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message?.length).toBeLessThan(400);
    expect(message).toMatch(/^junit report deep\.xml is not well-formed XML \(line 1, column \d+\): /);
  });
});
