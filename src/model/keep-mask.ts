/** The streaming vocoder's `keep` input (see vocoder-stream.ts). Pure. */
/** The graph's `keep` input, row-major [layers, m] (distill/stream.py `keep_mask`). */
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
