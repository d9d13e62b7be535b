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
 * Real inverse FFT of a one-sided spectrum (numpy/torch irfft with n = size): the imaginary parts of the DC and
 * Nyquist bins are ignored. Uses one complex FFT of size/2 (even/odd packing), no allocation per call.
 */
export class RealInverseFft {
  readonly size: number;
  private readonly half: Fft;
  private readonly twCos: Float64Array;
  private readonly twSin: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.half = new Fft(size / 2);
    this.twCos = new Float64Array(size / 2);
    this.twSin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.twCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.twSin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.zr = new Float64Array(size / 2);
    this.zi = new Float64Array(size / 2);
  }

  /**
   * Bin k (0..size/2) is `re[offset + k * stride]`, `im[offset + k * stride]` (the vocoder's [bin, frame] layout).
   * Writes `size` samples into `out`.
   */
  inverse(re: Float32Array, im: Float32Array, offset: number, stride: number, out: Float64Array): void {
    const n = this.size;
    const h = n / 2;
    const { zr, zi, twCos, twSin } = this;
    // x[2m] + i x[2m+1] = IDFT_{n/2}(E + iO), E[k] = X[k] + X[k+h], O[k] = (X[k] - X[k+h]) e^{2πik/n},
    // with X[k+h] = conj(X[h-k]) for k >= 1 and X[h] (real) for k = 0.
    for (let k = 0; k < h; k++) {
      const ar = re[offset + k * stride]!;
      const ai = k === 0 ? 0 : im[offset + k * stride]!;
      const br = re[offset + (h - k) * stride]!;
      const bi = k === 0 ? 0 : -im[offset + (h - k) * stride]!;
      const er = ar + br;
      const ei = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      const c = twCos[k]!;
      const s = twSin[k]!;
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    this.half.inverseInPlace(zr, zi);
    const scale = 1 / n;
    for (let m = 0; m < h; m++) {
      out[2 * m] = zr[m]! * scale;
      out[2 * m + 1] = zi[m]! * scale;
    }
  }
}
