import type { MetricsSource } from '../../core/canary/metrics-source.ts';
import { invalidValue } from '../../core/errors.ts';
import { parseEnum, parseList } from '../../core/inputs/index.ts';
import { ROUTER_KINDS } from '../routers/create-router.ts';
import type { HostSystem } from '../host/host-system.ts';
import { parseHaproxyEndpoint, type HaproxyEndpoint } from '../routers/haproxy-endpoint.ts';
import { AccessLogMetricsSource } from './access-log-metrics-source.ts';
import { CompositeMetricsSource } from './composite-metrics-source.ts';
import { HaproxyMetricsSource } from './haproxy-metrics-source.ts';
import { HostLogTail } from './host-log-tail.ts';
import { PooledMetricsSource } from './pooled-metrics-source.ts';
import { parseMetricQueries, type SlotLabels } from './prometheus-metric-queries.ts';
import { PrometheusMetricsSource } from './prometheus-metrics-source.ts';
import { parsePrometheusUrl } from './prometheus-url.ts';

export type MetricsSpec = { kind: 'router' } | { kind: 'access-log'; path: string } | { kind: 'prometheus' };

export interface MetricsSlot extends SlotLabels {
  /** `host:port` the router sends the slot's traffic to (its upstream server line). */
  address: string;
}

/** A remote host of the fleet, read on its own: its router's counters and its log, not the runner's. */
export interface MetricsHost {
  name: string;
  /** Its files and programs, through its connection. */
  system: HostSystem;
  /** Its HAProxy admin socket, forwarded here (set when its router is HAProxy). */
  haproxy?: HaproxyEndpoint;
}

export interface MetricsSetup {
  /** The `metrics` input. */
  metrics: string;
  router: string;
  routerEndpoint: string;
  /** The HAProxy backend or nginx upstream; its servers are the slots. */
  service: string;
  /** The routed slots to report (`blue`, `green`, `baseline`), with where and what each runs. */
  slots: Readonly<Record<string, MetricsSlot>>;
  prometheusUrl?: string;
  prometheusQueries?: string;
  /** With remote hosts: router and access-log are read on each host and pooled; Prometheus, which sees them all, once. */
  hosts?: readonly MetricsHost[];
  now?: () => number;
}

const FORMS = 'use router (HAProxy counters), access-log:/absolute/path (an nginx log in the sidhe_canary format) or prometheus, one a line';

/** Reads the `metrics` input: one source a line (or comma-separated), each once, in order of trust. */
export function parseMetricsInput(raw: string): MetricsSpec[] {
  const specs: MetricsSpec[] = [];
  const seen = new Set<string>();
  for (const item of parseList(raw)) {
    const spec = parseItem(item);
    const key = spec.kind === 'access-log' ? `access-log:${spec.path}` : spec.kind;
    if (seen.has(key)) throw invalidValue('metrics', item, `it is given twice; ${FORMS}`);
    seen.add(key);
    specs.push(spec);
  }
  if (specs.length === 0) throw invalidValue('metrics', raw, `give at least one source; ${FORMS}`);
  return specs;
}

function parseItem(item: string): MetricsSpec {
  if (item === 'router' || item === 'prometheus') return { kind: item };
  const match = /^access-log:(.*)$/.exec(item);
  if (!match) throw invalidValue('metrics', item, FORMS);
  const path = match[1]!.trim();
  if (!path.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(path)) {
    throw invalidValue('metrics', item, `access-log needs an absolute path without '..', e.g. access-log:/var/log/nginx/sidhe-canary.log`);
  }
  return { kind: 'access-log', path };
}

/**
 * The one place that knows every metrics source: the `metrics` input and what it refers to in,
 * one MetricsSource out (a composite when several are given). Everything is checked before
 * anything is opened; each source takes its starting point as it opens.
 */
export async function createMetricsSource(setup: MetricsSetup): Promise<MetricsSource> {
  const opens = parseMetricsInput(setup.metrics).map((spec) => opener(spec, setup));
  const sources: MetricsSource[] = [];
  try {
    for (const open of opens) sources.push(await open());
  } catch (error) {
    await Promise.all(sources.map(async (source) => source.close?.()));
    throw error;
  }
  return sources.length === 1 ? sources[0]! : new CompositeMetricsSource(sources);
}

/**
 * Checks the whole setup (sources, router, Prometheus URL and queries) without opening anything, so a
 * door can refuse a bad input before it takes a lock; the slots' releases may be placeholders.
 */
export function checkMetricsSetup(setup: MetricsSetup): void {
  for (const spec of parseMetricsInput(setup.metrics)) opener(spec, setup);
}

/** Checks one spec against the rest of the setup now; opens it when called. */
function opener(spec: MetricsSpec, setup: MetricsSetup): () => Promise<MetricsSource> {
  const { slots, now } = setup;
  switch (spec.kind) {
    case 'router': {
      const router = parseEnum('router', setup.router, ROUTER_KINDS);
      if (router !== 'haproxy') {
        throw invalidValue(
          'metrics',
          'router',
          `router metrics need router haproxy (nginx keeps no per-server counters); with nginx use access-log:/path/to/the/sidhe_canary.log`,
        );
      }
      const endpoint = parseHaproxyEndpoint(setup.routerEndpoint);
      // Each host's own admin socket, forwarded: set on every remote host whose router is HAProxy.
      const open = (at: HaproxyEndpoint) => HaproxyMetricsSource.open(at, setup.service, Object.keys(slots), { now });
      return setup.hosts?.length ? () => openPooled(setup.hosts!, (host) => open(host.haproxy!)) : () => open(endpoint);
    }
    case 'access-log': {
      const addresses = Object.fromEntries(Object.entries(slots).map(([slot, { address }]) => [slot, address]));
      if (!setup.hosts?.length) return () => AccessLogMetricsSource.open(spec.path, addresses, { now });
      return () =>
        openPooled(setup.hosts!, async (host) => AccessLogMetricsSource.fromTail(await HostLogTail.open(host.system, spec.path), addresses, { now }));
    }
    case 'prometheus': {
      if (!setup.prometheusUrl?.trim())
        throw invalidValue('prometheus-url', '', 'metrics: prometheus needs the base URL of the Prometheus server, e.g. http://prometheus:9090');
      const url = parsePrometheusUrl(setup.prometheusUrl);
      if (!setup.prometheusQueries?.trim()) {
        throw invalidValue(
          'prometheus-queries',
          '',
          'metrics: prometheus needs a requests: and an errors: query, e.g. requests: sum(http_requests_total{version="{{version}}"})',
        );
      }
      const queries = parseMetricQueries(setup.prometheusQueries, slots);
      return () => PrometheusMetricsSource.open(url, queries, slots, { now });
    }
  }
}

/** One source per host, opened side by side and pooled; if one fails to open, the others are closed and the error names its host. */
async function openPooled(hosts: readonly MetricsHost[], open: (host: MetricsHost) => Promise<MetricsSource>): Promise<MetricsSource> {
  const opened = await Promise.allSettled(hosts.map((host) => open(host)));
  const sources = opened.flatMap((result, i) => (result.status === 'fulfilled' ? [{ name: hosts[i]!.name, source: result.value }] : []));
  const failed = opened.findIndex((result) => result.status === 'rejected');
  if (failed < 0) return new PooledMetricsSource(sources);
  for (const { source } of sources) await source.close?.();
  const reason = (opened[failed] as PromiseRejectedResult).reason as unknown;
  throw reason instanceof Error
    ? Object.assign(reason, { message: `${hosts[failed]!.name}: ${reason.message}` })
    : new Error(`${hosts[failed]!.name}: ${String(reason)}`);
}
