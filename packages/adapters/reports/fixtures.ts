import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reports real tools wrote (test/fixtures/reports/README.md says which and how). */
export const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/reports');

export const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
