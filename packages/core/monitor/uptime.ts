/** Milliseconds since `startedAt` (ISO), never negative (clocks of engine and runner differ a little); null when unknown. */
export function uptimeMs(startedAt: string | undefined, now: number): number | null {
  if (!startedAt) return null;
  const started = Date.parse(startedAt);
  return Number.isNaN(started) ? null : Math.max(0, now - started);
}

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** `45s`, `12m 5s`, `3h`, `2d 4h`: the largest unit and the next when it is not zero. */
export function formatUptime(ms: number | null): string {
  if (ms === null) return '–';
  const first = UNITS.findIndex(([, size]) => ms >= size);
  if (first === -1) return '0s';
  const [unit, size] = UNITS[first]!;
  const head = `${Math.floor(ms / size)}${unit}`;
  const next = UNITS[first + 1];
  const tail = next ? Math.floor((ms % size) / next[1]) : 0;
  return tail > 0 ? `${head} ${tail}${next![0]}` : head;
}
