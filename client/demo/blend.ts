/** The `voice` field of a speak request for the demo's blend control. Pure. */

/**
 * Two voices mixed by weight, in the protocol's blend form ("a:0.7,b:0.3"); just `a` when there is no second voice
 * or it is the same one. `percentA` is the first voice's share, a whole number from 1 to 99 (kept whole so the two
 * weights print exactly and sum to 1).
 */
export function blendSpec(a: string, b: string | null, percentA: number): string {
  if (!b || b === a) return a;
  if (!Number.isInteger(percentA) || percentA < 1 || percentA > 99) throw new RangeError(`percentA must be a whole number in 1..99, got ${percentA}`);
  return `${a}:${percentA / 100},${b}:${(100 - percentA) / 100}`;
}
