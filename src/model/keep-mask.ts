/**
 * The streaming vocoder's `keep` input (see vocoder-stream.ts), row-major [layers, m]: the same as distill/stream.py
 * `keep_mask`. Pure.
 */
export function keepMask(layers: number, lookahead: number, offset: number, m: number, total: number): Float32Array {
  const lag = lookahead / layers;
  const keep = new Float32Array(layers * m);
  for (let i = 0; i < layers; i++) {
    for (let j = 0; j < m; j++) {
      const pos = offset - lag * (i + 1) + j;
      keep[i * m + j] = pos >= 0 && pos < total ? 1 : 0;
    }
  }
  return keep;
}
