import { describe, expect, it } from 'vitest';
import { RealInverseFft } from './fft';

/** Direct irfft by definition (imaginary parts of DC and Nyquist ignored). */
function naiveIrfft(re: Float32Array, im: Float32Array, n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    let sum = re[0]! + re[n / 2]! * Math.cos(Math.PI * t);
    for (let k = 1; k < n / 2; k++) sum += 2 * (re[k]! * Math.cos((2 * Math.PI * k * t) / n) - im[k]! * Math.sin((2 * Math.PI * k * t) / n));
    out.push(sum / n);
  }
  return out;
}

describe('RealInverseFft', () => {
  it.each([8, 64, 1024])('matches the definition at size %i, reading a strided column', (n) => {
    const bins = n / 2 + 1;
    const stride = 3;
    const col = 1;
    const re = new Float32Array(bins * stride);
    const im = new Float32Array(bins * stride);
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < re.length; i++) {
      re[i] = rnd();
      im[i] = rnd();
    }
    const colRe = new Float32Array(bins);
    const colIm = new Float32Array(bins);
    for (let k = 0; k < bins; k++) {
      colRe[k] = re[k * stride + col]!;
      colIm[k] = im[k * stride + col]!;
    }
    const out = new Float64Array(n);
    new RealInverseFft(n).inverse(re, im, col, stride, out);
    const want = naiveIrfft(colRe, colIm, n);
    for (let t = 0; t < n; t++) expect(out[t]).toBeCloseTo(want[t]!, 9);
  });
});
