/**
 * Increments of cumulative counters between two reads. A counter never goes backwards unless what
 * keeps it restarted (HAProxy reloaded, a container replaced), so when any counter of a group went
 * backwards the whole group is taken as restarted: its new values are the increments. Checking the
 * group, not each counter, keeps derived figures (errors among requests) consistent. A counter
 * missing from `previous` did not exist then: it counts from zero.
 */
export function counterDeltas<K extends string>(
  previous: Readonly<Partial<Record<K, number>>> | undefined,
  current: Readonly<Record<K, number>>,
): Record<K, number> {
  const keys = Object.keys(current) as K[];
  const restarted = previous === undefined || keys.some((key) => current[key] < (previous[key] ?? 0));
  return Object.fromEntries(keys.map((key) => [key, restarted ? current[key] : current[key] - (previous[key] ?? 0)])) as Record<K, number>;
}
