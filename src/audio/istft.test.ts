import { describe, expect, it } from 'vitest';
import { Istft, type AudioSpectra } from './istft';

const N_FFT = 1024;
const HOP = 256;
const BINS = N_FFT / 2 + 1;

/** torch.stft(center=True, pad_mode='reflect', hann periodic) by direct DFT, in the vocoder's [bin, frame] layout. */
function stft(x: Float32Array, frames: number): AudioSpectra {
  const half = N_FFT / 2;
  const padded = new Float64Array(x.length + N_FFT);
  for (let i = 0; i < padded.length; i++) {
    let j = i - half;
    if (j < 0) j = -j;
    if (j >= x.length) j = 2 * (x.length - 1) - j;
    padded[i] = x[j]!;
  }
  const re = new Float32Array(BINS * frames);
  const im = new Float32Array(BINS * frames);
  for (let k = 0; k < frames; k++) {
    for (let b = 0; b < BINS; b++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < N_FFT; t++) {
        const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / N_FFT);
        const v = padded[k * HOP + t]! * w;
        const ang = (-2 * Math.PI * b * t) / N_FFT;
        sr += v * Math.cos(ang);
        si += v * Math.sin(ang);
      }
      re[b * frames + k] = sr;
      im[b * frames + k] = si;
    }
  }
  return { re, im, stride: frames, firstFrame: 0 };
}

function slice(spec: AudioSpectra, first: number, last: number): AudioSpectra {
  const n = last - first + 1;
  const re = new Float32Array(BINS * n);
  const im = new Float32Array(BINS * n);
  for (let b = 0; b < BINS; b++) {
    for (let k = 0; k < n; k++) {
      re[b * n + k] = spec.re[b * spec.stride + first + k]!;
      im[b * n + k] = spec.im[b * spec.stride + first + k]!;
    }
  }
  return { re, im, stride: n, firstFrame: first };
}

describe('Istft', () => {
  const frames = 12;
  const x = new Float32Array(frames * HOP);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin(i * 0.05) + 0.2 * Math.sin(i * 0.31 + 1) + 0.05 * Math.cos(i * 1.7);
  const spec = stft(x, frames);
  const istft = new Istft({ nFft: N_FFT, hop: HOP });

  it('inverts torch-style stft(center=True) exactly', () => {
    const y = istft.synthesize(spec, 0, frames, frames);
    expect(y.length).toBe(x.length);
    let maxErr = 0;
    for (let i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - x[i]!));
    expect(maxErr).toBeLessThan(1e-4);
  });

  it('gives the same samples when produced range by range from the frames framesFor asks for', () => {
    const whole = istft.synthesize(spec, 0, frames, frames);
    const parts: number[] = [];
    for (const [a, b] of [[0, 1], [1, 4], [4, 9], [9, 12]] as const) {
      const { first, last } = istft.framesFor(a, b, frames);
      parts.push(...istft.synthesize(slice(spec, first, last), a, b, frames));
    }
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(Math.abs(parts[i]! - whole[i]!)).toBeLessThan(1e-6);
  });

  it('refuses spectra that miss needed frames', () => {
    expect(() => istft.synthesize(slice(spec, 3, 8), 2, 6, frames)).toThrow(/need/);
  });
});
