/** Reproducible randomness for simulations: mulberry32, a small 32-bit generator good enough for tests. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal draw: latencies are skewed, with a long slow tail. */
export function logNormal(random: Random, median: number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Successes in n trials of probability p, drawn by skipping geometric gaps: work grows with the successes, not n. */
export function binomial(random: Random, n: number, p: number): number {
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  if (p <= 0) return 0;
  const logMiss = Math.log1p(-p);
  let successes = 0;
  for (let trial = Math.floor(Math.log(1 - random()) / logMiss); trial < n; trial += 1 + Math.floor(Math.log(1 - random()) / logMiss)) {
    successes += 1;
  }
  return successes;
}
