import { describe, expect, it } from 'vitest';
import { ActionFailure } from '../packages/core/errors.ts';
import { fakeFleet } from '../packages/core/fleet/testing/fake-fleet.ts';
import { deployBlueGreen } from '../packages/core/strategies/blue-green-deploy.ts';
import { deploySettings, IMAGE } from '../packages/core/strategies/testing/shop-fixture.ts';
import { failOnSplit, reportFleet } from './fleet-report.ts';

const SCOPE = { app: 'shop', environment: 'production' };

function recordedOutputs(): { values: Record<string, string>; set(name: 'hosts', value: string): void } {
  const values: Record<string, string> = {};
  return { values, set: (name, value) => void (values[name] = value) };
}

describe('reportFleet', () => {
  it('shows the release each host serves, and passes a fleet that serves one', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const { active } = await deployBlueGreen(deploySettings(IMAGE.v1), fleet.ports);
    const outputs = recordedOutputs();
    const report = await reportFleet(fleet.hosts, SCOPE, outputs, fleet.logger);

    expect(JSON.parse(outputs.values.hosts!)).toEqual({
      web1: { release: active.labels.release, colour: 'blue', traffic: expect.stringMatching(/^blue 100% /) },
      web2: { release: active.labels.release, colour: 'blue', traffic: expect.stringMatching(/^blue 100% /) },
    });
    expect(report.summary).toContainEqual(
      expect.objectContaining({
        kind: 'table',
        rows: [expect.arrayContaining(['web1', active.labels.release]), expect.arrayContaining(['web2', active.labels.release])],
      }),
    );
    expect(() => failOnSplit(report)).not.toThrow();
  });

  it('fails the run when the hosts serve different releases, naming what each serves', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const { active: v1 } = await deployBlueGreen(deploySettings(IMAGE.v1), fleet.ports);
    // A release that reached web2 alone (a run stopped between hosts).
    const web2 = fleet.hosts[1]!;
    const { active: v2 } = await deployBlueGreen(deploySettings(IMAGE.v2), { ...fleet.ports, target: web2.target, router: web2.router, prober: web2.prober });
    const outputs = recordedOutputs();
    const report = await reportFleet(fleet.hosts, SCOPE, outputs, fleet.logger);

    expect(Object.values(JSON.parse(outputs.values.hosts!) as Record<string, { release: string }>).map((host) => host.release)).toEqual([
      v1.labels.release,
      v2.labels.release,
    ]);
    expect(report.split).toMatch(/^the hosts do not all serve one release: web1: serves .*; web2: serves /);
    expect(() => failOnSplit(report)).toThrow(ActionFailure);
    expect(() => failOnSplit(report)).toThrow(/re-run the action, or roll back, until every host serves one release$/);
  });

  it('sets an empty output and adds nothing to the summary without remote hosts', async () => {
    const outputs = recordedOutputs();
    expect(await reportFleet([], SCOPE, outputs, fakeFleet(['web1']).logger)).toEqual({ summary: [] });
    expect(outputs.values).toEqual({ hosts: '' });
  });
});
