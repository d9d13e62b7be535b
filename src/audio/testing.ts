/** Test support, pure: how alike two signals are once a codec's delay is allowed for. */

/** Best normalised correlation of `a` against `b` shifted by 0..maxLag samples, and the lag that gives it. */
export function bestLagCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = 0; lag <= maxLag; lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i < a.length && i + lag < b.length; i++) {
      xy += a[i]! * b[i + lag]!;
      xx += a[i]! * a[i]!;
      yy += b[i + lag]! * b[i + lag]!;
    }
    const r = xy / Math.sqrt(xx * yy);
    if (r > best.r) best = { r, lag };
  }
  return best;
}
