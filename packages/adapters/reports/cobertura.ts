import type { CoverageReport } from '../../core/gates/index.ts';
import { reportError } from './report-error.ts';
import { attr, children, parseXml } from './xml-document.ts';

const KIND = 'coverage';

/**
 * A Cobertura XML report (istanbul/c8, coverage.py, JaCoCo converters). The root's lines-valid and
 * lines-covered are the totals; older writers leave them out, and then the class lines are counted.
 */
export function parseCobertura(file: string, xml: string): CoverageReport {
  const root = parseXml(KIND, file, xml);
  const coverage = children(root, 'coverage')[0];
  if (!coverage) throw reportError(KIND, file, 'has no <coverage> element; is it a Cobertura XML report?');
  const valid = Number(attr(coverage, 'lines-valid'));
  const covered = Number(attr(coverage, 'lines-covered'));
  if (Number.isInteger(valid) && Number.isInteger(covered)) {
    return { report: file, format: 'cobertura', linesCovered: covered, linesTotal: valid };
  }
  const hits = new Map<string, boolean>();
  for (const pkg of children(children(coverage, 'packages')[0], 'package')) {
    for (const cls of children(children(pkg, 'classes')[0], 'class')) {
      for (const line of children(children(cls, 'lines')[0], 'line')) {
        const key = `${attr(cls, 'filename')}:${attr(line, 'number')}`;
        hits.set(key, hits.get(key) === true || Number(attr(line, 'hits')) > 0);
      }
    }
  }
  return { report: file, format: 'cobertura', linesCovered: [...hits.values()].filter(Boolean).length, linesTotal: hits.size };
}
