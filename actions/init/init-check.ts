// `sidhe-devops init --check`: what in a repository's configuration and workflows no longer fits the
// installed version. Pure: the door reads the files and the catalog of our actions' inputs.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { errorMessage } from '../../packages/core/errors.ts';
import { parseConfig } from '../../packages/core/config/parse-config.ts';

/** An action (`<name>/action.yml`) or a reusable workflow (`on.workflow_call`) and what it takes. */
export interface Callee {
  inputs: ReadonlyMap<string, { required: boolean }>;
  /** Reusable workflows only: the secrets it declares. */
  secrets?: ReadonlySet<string>;
}

/** Keyed by address without the ref: `sidhe/devops`, `sidhe/devops/rollback`, `sidhe/devops/.github/workflows/deploy.yml`. */
export type Catalog = ReadonlyMap<string, Callee>;

export const OWN_PREFIX = 'sidhe/devops';

/** Every problem of the configuration file, one line each with file:line:column (unknown keys among them). */
export function checkConfigText(text: string, path: string): string[] {
  try {
    parseConfig(text, path);
    return [];
  } catch (error) {
    return errorMessage(error)
      .split('\n')
      .slice(errorMessage(error).includes(' problems:\n') ? 1 : 0)
      .map((line) => line.trim());
  }
}

/** Every `uses:` of our actions and reusable workflows in one workflow, checked against the catalog. */
export function checkWorkflowText(text: string, path: string, catalog: Catalog): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) return [`${path}: YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}`];
  const where = (node: Node | null | undefined): string => {
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    return pos ? `${path}:${pos.line}:${pos.col}` : path;
  };
  const problems: string[] = [];
  const check = (owner: YAMLMap, secretsAllowed: boolean): void => {
    const uses = owner.get('uses', true);
    if (!isScalar(uses) || typeof uses.value !== 'string') return;
    const address = uses.value.split('@')[0]!;
    if (address !== OWN_PREFIX && !address.startsWith(`${OWN_PREFIX}/`)) return;
    const callee = catalog.get(address);
    if (!callee) {
      problems.push(`${where(uses)}: ${address} does not exist in this version; it has ${[...catalog.keys()].join(', ')}`);
      return;
    }
    const given = keysOf(owner.get('with', true));
    for (const [key, node] of given) {
      if (!callee.inputs.has(key)) problems.push(`${where(node)}: ${address} has no input ${key}`);
    }
    for (const [name, spec] of callee.inputs) {
      if (spec.required && !given.has(name)) problems.push(`${where(uses)}: ${address} needs input ${name}, which is not given`);
    }
    if (secretsAllowed && callee.secrets) {
      for (const [key, node] of keysOf(owner.get('secrets', true))) {
        if (!callee.secrets.has(key)) problems.push(`${where(node)}: ${address} takes no secret ${key}`);
      }
    }
  };
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return problems;
  for (const pair of jobs.items) {
    if (!isMap(pair.value)) continue;
    check(pair.value, true);
    const steps = pair.value.get('steps', true);
    if (!isSeq(steps)) continue;
    for (const step of steps.items) if (isMap(step)) check(step, false);
  }
  return problems;
}

function keysOf(node: unknown): Map<string, Node> {
  const keys = new Map<string, Node>();
  if (!isMap(node)) return keys;
  for (const pair of node.items) {
    if (isScalar(pair.key)) keys.set(String(pair.key.value), pair.key);
  }
  return keys;
}

/** The inputs (and, for a reusable workflow, secrets) that a parsed action.yml or workflow declares. */
export function calleeOf(data: unknown): Callee | undefined {
  const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  const doc = record(data);
  const call = record(record(doc.on).workflow_call);
  const isWorkflow = 'jobs' in doc;
  if (isWorkflow && !('workflow_call' in record(doc.on))) return undefined;
  const inputs = new Map(
    Object.entries(record(isWorkflow ? call.inputs : doc.inputs)).map(([name, spec]) => [name, { required: record(spec).required === true }]),
  );
  return isWorkflow ? { inputs, secrets: new Set(Object.keys(record(call.secrets))) } : { inputs };
}
