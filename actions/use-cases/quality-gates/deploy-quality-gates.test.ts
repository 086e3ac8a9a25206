import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../packages/core/config/parse-config.ts';
import { ActionSkipped } from '../../../packages/core/errors.ts';
import type { ActionIO, Annotation } from '../../../packages/runtime/action-io.ts';
import type { SummaryDoc } from '../../../packages/runtime/summary/summary-doc.ts';
import { gateDeploy, parseQualityGatesInput } from './deploy-quality-gates.ts';

describe('the quality-gates input of the deploy actions', () => {
  it('takes quality-gate inputs as name: value lines, a list as lines', () => {
    const parsed = parseQualityGatesInput('junit:\n  - reports/a.xml\n  - reports/b.xml\nmin-coverage: 85%\nmax-failed-tests: 0');
    expect(Object.fromEntries(parsed)).toEqual({ junit: 'reports/a.xml\nreports/b.xml', 'min-coverage': '85%', 'max-failed-tests': '0' });
  });

  it.each([
    ['just words', /^quality-gates: "just words" is not valid; write `name: value` lines, names from: junit, coverage, .*gates, ref$/],
    ['environment: production', /^quality-gates: "environment" is not a quality gate input; use: junit, coverage/],
    ['junit:', /^quality-gates: junit: "null" is not valid; give a value or a list of values$/],
    ['junit: { a: 1 }', /^quality-gates: junit: "\{\\"a\\":1\}" is not valid; give a value or a list of values$/],
    ['junit: [a', /^quality-gates: "junit: \[a" is not valid; write `name: value` lines \(YAML\); /],
  ])('names what is wrong with %j', (raw, message) => {
    expect(() => parseQualityGatesInput(raw)).toThrow(message);
  });
});

describe("a deploy's gate and the configuration", () => {
  const world = (context: Partial<ActionIO['context']>, yaml: string) => {
    const summaries: SummaryDoc[] = [];
    const annotations: Annotation[] = [];
    const events: string[] = [];
    const io = {
      context: { workspace: '.', tempDir: '.', runner: 'test', ...context },
      writeSummary: async (doc: SummaryDoc) => void summaries.push(doc),
      annotate: (annotation: Annotation) => void annotations.push(annotation),
    } as unknown as ActionIO;
    const inputs: Record<string, string> = { 'quality-gates': 'max-failed-tests: 0', config: '.sidhe/devops.yaml', 'github-token': '' };
    const deploy = {
      io,
      config: parseConfig(yaml, '.sidhe/devops.yaml'),
      get: (name: 'quality-gates' | 'config' | 'github-token') => inputs[name] ?? '',
      environment: 'production',
      image: 'ghcr.io/acme/shop:1.4.2',
      report: async (type: string) => void events.push(type),
      startedEvent: 'deploy.started' as const,
      summaryTitle: 'Blue-green deploy',
    };
    return { deploy, summaries, annotations, events };
  };

  it('skips a deploy run by a push to a branch auto_deploy_branches does not list, recording nothing', async () => {
    const { deploy, summaries, events } = world({ event: 'push', ref: 'refs/heads/feature/x' }, '');
    const skipped = await gateDeploy(deploy).catch((error: unknown) => error);
    expect(skipped).toBeInstanceOf(ActionSkipped);
    expect((skipped as Error).message).toBe(
      'a push to feature/x does not deploy: devops_automator.ci_cd.auto_deploy_branches lists main, staging; nothing was deployed',
    );
    expect(JSON.stringify(summaries)).toContain('nothing was deployed');
    expect(events).toEqual([]);
  });

  it('does not evaluate the gates when quality_gates_required is false, saying so', async () => {
    const { deploy, annotations } = world({ event: 'push', ref: 'refs/heads/main' }, 'devops_automator: { ci_cd: { quality_gates_required: false } }');
    expect(await gateDeploy(deploy)).toBeUndefined();
    expect(annotations).toEqual([
      { level: 'notice', message: 'quality-gates were not evaluated: devops_automator.ci_cd.quality_gates_required is false in .sidhe/devops.yaml' },
    ]);
  });
});
