// Reads what the installed version offers: every action.yml and every reusable workflow, as the
// catalog init --check compares a repository's workflows with.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { calleeOf, OWN_PREFIX, type Callee, type Catalog } from './init-check.ts';

const WORKFLOWS = '.github/workflows';

export function loadCatalog(root: string): Catalog {
  const catalog = new Map<string, Callee>();
  const add = (address: string, file: string): void => {
    const callee = calleeOf(parse(readFileSync(file, 'utf8')));
    if (callee) catalog.set(address, callee);
  };
  add(OWN_PREFIX, path.join(root, 'action.yml'));
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const file = path.join(root, entry.name, 'action.yml');
    if (entry.isDirectory() && existsSync(file)) add(`${OWN_PREFIX}/${entry.name}`, file);
  }
  const workflows = path.join(root, WORKFLOWS);
  if (existsSync(workflows)) {
    for (const name of readdirSync(workflows)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()) {
      add(`${OWN_PREFIX}/${WORKFLOWS}/${name}`, path.join(workflows, name));
    }
  }
  return catalog;
}

/** The installed suite's root: the nearest folder above `from` holding the root action.yml. */
export function suiteRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'action.yml')) && existsSync(path.join(dir, 'deploy-canary', 'action.yml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no SIDHE DevOps action.yml above ${from}`);
  }
}
