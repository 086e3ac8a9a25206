import type { CoverageReport } from '../../core/gates/index.ts';
import { excerpt } from '../../core/message-bounds.ts';
import { reportError } from './report-error.ts';

const KIND = 'coverage';
// Every record type of geninfo's tracefile format; anything else is not lcov.
const RECORDS = /^(TN|SF|VER|FN|FNDA|FNF|FNH|FNL|FNA|BRDA|BRF|BRH|DA|LF|LH|end_of_record)(:|$)/;

/**
 * An lcov tracefile (node --test's lcov reporter, c8/istanbul, geninfo). Lines found and hit come
 * from each record's LF/LH, or from its DA lines where a writer leaves those out.
 */
export function parseLcov(file: string, content: string): CoverageReport {
  let linesTotal = 0;
  let linesCovered = 0;
  let records = 0;
  let record = { lf: -1, lh: -1, da: 0, hit: 0 };
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const bad = (why: string) => reportError(KIND, file, `is not a valid lcov file (line ${index + 1}: ${excerpt(line)}): ${why}`);
    if (!RECORDS.test(line)) throw bad('unknown record');
    const colon = line.indexOf(':');
    const type = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    if (type === 'DA') {
      const [lineNo, hits] = value.split(',');
      if (!/^\d+$/.test(lineNo ?? '') || !/^-?\d+$/.test(hits ?? '')) throw bad('DA needs <line>,<hits>');
      record.da += 1;
      if (Number(hits) > 0) record.hit += 1;
    } else if (type === 'LF' || type === 'LH') {
      if (!/^\d+$/.test(value)) throw bad(`${type} needs a count`);
      record[type === 'LF' ? 'lf' : 'lh'] = Number(value);
    } else if (type === 'end_of_record') {
      records += 1;
      linesTotal += record.lf >= 0 ? record.lf : record.da;
      linesCovered += record.lh >= 0 ? record.lh : record.hit;
      record = { lf: -1, lh: -1, da: 0, hit: 0 };
    }
  });
  if (records === 0) throw reportError(KIND, file, 'has no lcov records (no end_of_record line)');
  return { report: file, format: 'lcov', linesCovered, linesTotal };
}
