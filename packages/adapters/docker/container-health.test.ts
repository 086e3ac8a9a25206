import { describe, expect, it } from 'vitest';
import { parseContainerState, parseContainerStats } from './container-health.ts';

// Written by Docker 20.10 (`docker inspect --type container --format '{{json .State}}'`).
const HEALTHY =
  '{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":5469,"ExitCode":0,"Error":"","StartedAt":"2026-11-26T19:24:47.105116787Z","FinishedAt":"0001-01-01T00:00:00Z","Health":{"Status":"healthy","FailingStreak":0,"Log":[{"Start":"2026-11-26T19:24:48.106289762Z","End":"2026-11-26T19:24:48.141537989Z","ExitCode":0,"Output":""}]}}';
const UNHEALTHY =
  '{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":6287,"ExitCode":0,"Error":"","StartedAt":"2026-11-26T19:25:01.67713273Z","FinishedAt":"0001-01-01T00:00:00Z","Health":{"Status":"unhealthy","FailingStreak":3,"Log":[{"Start":"2026-11-26T19:25:04.774933821Z","End":"2026-11-26T19:25:04.809254959Z","ExitCode":-1,"Output":"OCI runtime exec failed: exec failed: unable to start container process: exec: \\"/bin/sh\\": stat /bin/sh: no such file or directory: unknown"}]}}';
const STARTING =
  '{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":6287,"ExitCode":0,"Error":"","StartedAt":"2026-11-26T19:25:01.67713273Z","FinishedAt":"0001-01-01T00:00:00Z","Health":{"Status":"starting","FailingStreak":0,"Log":[]}}';
const NO_HEALTHCHECK =
  '{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":5841,"ExitCode":0,"Error":"","StartedAt":"2026-11-26T19:24:54.833499251Z","FinishedAt":"0001-01-01T00:00:00Z"}';
const EXITED =
  '{"Status":"exited","Running":false,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":0,"ExitCode":1,"Error":"","StartedAt":"2026-11-26T19:24:54.742367108Z","FinishedAt":"2026-11-26T19:24:54.74532251Z","Health":{"Status":"unhealthy","FailingStreak":0,"Log":[]}}';
// Written by `docker stats --no-stream --format '{{json .}}'`.
const STATS =
  '{"BlockIO":"0B / 0B","CPUPerc":"1.02%","Container":"hc-explore","ID":"5d8f21656a2c","MemPerc":"0.00%","MemUsage":"356KiB / 23.54GiB","Name":"hc-explore","NetIO":"0B / 0B","PIDs":"1"}';

describe('parseContainerState', () => {
  it.each([
    [HEALTHY, { status: 'running', health: 'healthy' }],
    [
      UNHEALTHY,
      {
        status: 'running',
        health: 'unhealthy',
        lastCheckOutput:
          'OCI runtime exec failed: exec failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
      },
    ],
    [STARTING, { status: 'running', health: 'starting' }],
    [NO_HEALTHCHECK, { status: 'running' }],
    [EXITED, { status: 'exited', health: 'unhealthy' }],
  ])('reads %s', (json, state) => {
    expect(parseContainerState(json)).toEqual(state);
  });
});

describe('parseContainerStats', () => {
  it('reads CPU and memory percentages', () => {
    expect(parseContainerStats(STATS)).toEqual({ cpuPercent: 1.02, memoryPercent: 0 });
  });

  it('says when a figure is missing', () => {
    expect(() => parseContainerStats('{"CPUPerc":"--","MemPerc":"--"}')).toThrow('docker stats reported no CPU figure ("--")');
  });
});
