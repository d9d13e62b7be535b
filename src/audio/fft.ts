/** Radix-2 complex FFT and a real inverse FFT (irfft) built on it. Pure, allocation-free per call. */

/** Precomputed tables for one power-of-two size. */
export class Fft {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two, got ${size}`);
    this.size = size;
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = Math.sin((2 * Math.PI * i) / size);
    }
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** In-place inverse transform without the 1/N factor: x[n] = sum_k X[k] e^{+2πikn/N}. */
  inverseInPlace(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const j = this.rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step]!;
          const wi = this.sin[k * step]!; // + sign: inverse transform
          const a = start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
    }
  }
}

/**
 * Real inverse FFT of a one-sided spectrum (like numpy/torch irfft with n = fft.size): the imaginary parts of the DC
 * and Nyquist bins are ignored. `getRe(k)`/`getIm(k)` read bin k (0..size/2). Writes `size` samples into `out`.
 */
export function irfft(
  fft: Fft,
  getRe: (k: number) => number,
  getIm: (k: number) => number,
  out: Float64Array,
  scratchRe: Float64Array,
  scratchIm: Float64Array,
): void {
  const n = fft.size;
  const half = n / 2;
  scratchRe[0] = getRe(0);
  scratchIm[0] = 0;
  scratchRe[half] = getRe(half);
  scratchIm[half] = 0;
  for (let k = 1; k < half; k++) {
    const r = getRe(k);
    const i = getIm(k);
    scratchRe[k] = r;
    scratchIm[k] = i;
    scratchRe[n - k] = r;
    scratchIm[n - k] = -i;
  }
  fft.inverseInPlace(scratchRe, scratchIm);
  for (let t = 0; t < n; t++) out[t] = scratchRe[t]! / n;
}
