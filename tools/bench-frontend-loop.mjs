// The front-end benchmark loop, shared by Node and the workerd worker that
// tools/bench-frontend.mjs bundles, so both measure exactly the same thing.
// Plain JS with no imports: esbuild bundles it into the worker as is.

const base =
  "On March 3, 2024, Dr. Smith paid $4.50 for 3 kg of apples at 7:15 pm. " +
  "The quick brown fox jumps over the lazy dog, and NASA's engineers said it was 50% faster than the 1990s. " +
  "Visit www.example.com or e-mail info@example.com; we're open 24/7, except Sundays! " +
  "Supercalifragilistic words, unusual names like Zbigniew or Quetzalcoatl, and numbers like -12.75 all work. ";

/** 1,000 characters of mixed English (numbers, money, dates, URLs, e-mail, rare names). */
export const BENCH_TEXT = (() => {
  let text = base;
  while (text.length < 1000) text += base;
  return text.slice(0, 1000);
})();

/**
 * normalise + chunk + phonemise BENCH_TEXT: first (cold) call, `warmup` untimed
 * calls, then `rounds` timed rounds of `iters` calls each. Times in ms.
 * `now` is the clock (performance.now; in workerd it ticks in whole ms, which is
 * fine for a round of hundreds of calls but makes `coldMs` an integer).
 */
export function benchFrontend({ planChunks, phonemizeChunk }, { warmup = 50, iters = 500, rounds = 5, now = () => performance.now() } = {}) {
  const run = () => planChunks(BENCH_TEXT).map((c) => phonemizeChunk(c).ids.length);
  const t = now();
  const ids = run().reduce((a, b) => a + b, 0);
  const coldMs = now() - t;
  for (let i = 0; i < warmup; i++) run(); // warm up: JIT and lazy table parsing
  const roundMs = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    for (let i = 0; i < iters; i++) run();
    roundMs.push((now() - t0) / iters);
  }
  const sorted = [...roundMs].sort((a, b) => a - b);
  return {
    chars: BENCH_TEXT.length,
    ids,
    coldMs,
    warmup,
    iters,
    rounds,
    roundMs,
    medianMs: sorted[Math.floor(sorted.length / 2)],
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
  };
}
