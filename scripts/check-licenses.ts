// Fails when a package the last build bundled is missing from dist/sidhe/licenses.txt, has no license
// text there, or carries a license not on the allowed list. Run after scripts/build.ts (check-dist.sh does).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundledPackages, licenseProblems, moduleNames, STATS_FILE } from './bundled-licenses.ts';

const root = path.resolve(import.meta.dirname, '..');
const stats = JSON.parse(readFileSync(STATS_FILE, 'utf8')) as Parameters<typeof moduleNames>[0];
const packages = bundledPackages(moduleNames(stats), root);
const problems = licenseProblems(packages, readFileSync(path.join(root, 'dist', 'sidhe', 'licenses.txt'), 'utf8'));
if (problems.length > 0) {
  console.error(`check-licenses: ${problems.length} problem(s) with the licenses of bundled packages:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-licenses: the ${packages.length} bundled packages are in dist/sidhe/licenses.txt, each under an allowed license`);
