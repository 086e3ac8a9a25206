import path from 'node:path';
import type { SourceLocation } from '../../core/gates/index.ts';

// `path/to/file.ext:12` or `file:///abs/file.ext:12:5`, as stack traces and test runners print them.
const LOCATION = /(?:file:\/\/)?((?:[A-Za-z]:)?[^\s():'"<>]*?[\w-]+\.[A-Za-z]\w{0,5}):(\d+)(?::\d+)?/g;
const JVM_SOURCES = new Set(['.java', '.kt', '.scala', '.groovy']);

interface Candidate {
  file: string;
  line: number;
}

function candidates(body: string): Candidate[] {
  return [...body.matchAll(LOCATION)]
    .map((m) => ({ file: m[1]!, line: Number(m[2]) }))
    .filter((c) => !c.file.includes('node_modules/') && !c.file.startsWith('node:') && c.line > 0);
}

const stem = (file: string): string => path.basename(file, path.extname(file));

/**
 * Where a failing test failed, read from what its runner wrote: the frame of the failure text that
 * names the test's file (or its class), else the test's own `file` and `line` attributes. JVM frames
 * name only the file, so the class's package supplies its folders (`com/example/CartTest.java`).
 */
export function failureLocation(body: string, testcase: { file?: string; line?: number; classname: string }): SourceLocation {
  const found = candidates(body);
  const { file, classname } = testcase;
  const lastSegment = classname.split(/[./]/).pop() ?? '';
  const pick =
    (file && found.find((c) => c.file.endsWith(file) || file.endsWith(c.file))) ||
    (classname.includes('/') && found.find((c) => c.file.endsWith(classname))) ||
    found.find((c) => stem(c.file) === lastSegment) ||
    (file ? undefined : found[0]);
  if (pick) {
    const ext = path.extname(pick.file);
    const packaged =
      JVM_SOURCES.has(ext) && !pick.file.includes('/') && classname.includes('.') && stem(pick.file) === lastSegment
        ? `${classname.replace(/\./g, '/')}${ext}`
        : pick.file;
    return { file: packaged, line: pick.line };
  }
  return { ...(file ? { file } : {}), ...(testcase.line ? { line: testcase.line } : {}) };
}
