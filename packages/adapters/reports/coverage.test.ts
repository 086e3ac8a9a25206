import { describe, expect, it } from 'vitest';
import { parseCoverage } from './coverage.ts';
import { fixture } from './fixtures.ts';

const read = (name: string) => parseCoverage(name, fixture(name));
const lines = (name: string) => {
  const { format, linesCovered, linesTotal } = read(name);
  return { format, linesCovered, linesTotal };
};

// node --test and c8 printed "all files | 76.47" lines; coverage.py counted 20 statements, 4 missed.
describe('coverage reports as real tools write them', () => {
  it.each([
    ['coverage/node-test.lcov.info', 'lcov', 26, 34],
    ['coverage/c8.lcov.info', 'lcov', 26, 34],
    ['coverage/c8-cobertura.xml', 'cobertura', 26, 34],
    ['coverage/c8-coverage-summary.json', 'istanbul', 26, 34],
    ['coverage/coveragepy-cobertura.xml', 'cobertura', 16, 20],
  ])('%s: %s, %d of %d lines', (name, format, linesCovered, linesTotal) => {
    expect(lines(name)).toEqual({ format, linesCovered, linesTotal });
  });

  it('counts the lines of a Cobertura file whose root has no totals', () => {
    const xml = fixture('coverage/c8-cobertura.xml').replace(/ lines-valid="\d+" lines-covered="\d+"/, '');
    expect(parseCoverage('old.xml', xml)).toMatchObject({ linesCovered: 26, linesTotal: 34 });
  });

  it('counts DA lines where an lcov record has no LF/LH', () => {
    expect(parseCoverage('da.info', 'SF:a.js\nDA:1,1\nDA:2,0\nDA:3,4\nend_of_record\n')).toMatchObject({ linesCovered: 2, linesTotal: 3 });
  });
});

describe('coverage reports that cannot be read', () => {
  it.each([
    ['malformed/bad-line.lcov.info', 'coverage report malformed/bad-line.lcov.info is not a valid lcov file (line 4: "DA:two,1"): DA needs <line>,<hits>'],
    [
      'malformed/truncated-coverage-summary.json',
      'coverage report malformed/truncated-coverage-summary.json is not valid JSON: the file ends too early (is it truncated?)',
    ],
  ])('%s', (name, message) => expect(() => read(name)).toThrow(message));

  it('names a file it cannot tell apart', () => {
    expect(() => parseCoverage('notes.txt', 'hello')).toThrow('coverage report notes.txt is neither lcov, Cobertura XML nor an istanbul coverage-summary.json');
    expect(() => parseCoverage('junit.xml', '<testsuites/>')).toThrow('coverage report junit.xml has no <coverage> element');
    expect(() => parseCoverage('other.json', '{"total": {}}')).toThrow('coverage report other.json has no total.lines.total');
  });
});
