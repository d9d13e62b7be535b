import { describe, expect, it } from 'vitest';
import { Fft } from './fft';
import { Istft, type AudioSpectra } from './istft';
import { PhaseFromMagnitude, type AudioMagnitudes } from './phase';

const N_FFT = 1024;
const HOP = 256;
const BINS = N_FFT / 2 + 1;
const RATE = 22050;

/** Centred Hann STFT (the layout the vocoder emits: frame k covers k*hop - nFft/2 …). */
function stft(x: Float64Array, frames: number): AudioSpectra {
  const fft = new Fft(N_FFT);
  const re = new Float32Array(BINS * frames);
  const im = new Float32Array(BINS * frames);
  const fr = new Float64Array(N_FFT);
  const fi = new Float64Array(N_FFT);
  for (let k = 0; k < frames; k++) {
    for (let t = 0; t < N_FFT; t++) {
      const i = k * HOP - N_FFT / 2 + t;
      fr[t] = (i >= 0 && i < x.length ? x[i]! : 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * t) / N_FFT));
      fi[t] = 0;
    }
    fft.inverseInPlace(fr, fi); // of a real frame: the conjugate of the forward transform
    for (let b = 0; b < BINS; b++) {
      re[b * frames + k] = fr[b]!;
      im[b * frames + k] = -fi[b]!;
    }
  }
  return { re, im, stride: frames, firstFrame: 0 };
}

/** A voiced-vowel-like signal: harmonics of a gliding F0, with a gap of silence in the middle. */
function voice(frames: number): Float64Array {
  const x = new Float64Array(frames * HOP);
  let phase = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / RATE;
    const f0 = 110 + 30 * Math.sin(2 * Math.PI * 1.5 * t);
    phase += (2 * Math.PI * f0) / RATE;
    const gap = i > x.length * 0.45 && i < x.length * 0.55;
    if (gap) continue;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += (0.3 / h) * Math.sin(h * phase);
    x[i] = v;
  }
  return x;
}

/** Frames first..last of the spectra's magnitudes (all the phase rebuild is given). */
function magnitudes(s: AudioSpectra, first = 0, last = s.stride - 1): AudioMagnitudes {
  const n = last - first + 1;
  const mag = new Float32Array(BINS * n);
  for (let b = 0; b < BINS; b++) {
    for (let k = 0; k < n; k++) mag[b * n + k] = Math.hypot(s.re[b * s.stride + first + k]!, s.im[b * s.stride + first + k]!);
  }
  return { mag, stride: n, firstFrame: first };
}

/** Keeps magnitudes, scrambles phase (what an inconsistent vocoder hands over, at its worst). */
function scramble(s: AudioSpectra): AudioSpectra {
  const re = new Float32Array(s.re.length);
  const im = new Float32Array(s.im.length);
  for (let i = 0; i < re.length; i++) {
    const mag = Math.hypot(s.re[i]!, s.im[i]!);
    const p = ((i * 2654435761) % 1000) / 1000 * 2 * Math.PI;
    re[i] = mag * Math.cos(p);
    im[i] = mag * Math.sin(p);
  }
  return { ...s, re, im };
}

/** Relative error, in dB, between the re-analysed audio's magnitudes and the magnitudes asked for. */
function inconsistencyDb(audio: Float32Array, wanted: AudioSpectra, frames: number): number {
  const again = stft(Float64Array.from(audio), frames);
  let err = 0;
  let energy = 0;
  for (let i = 0; i < BINS * frames; i++) {
    const a = Math.hypot(again.re[i]!, again.im[i]!);
    const w = Math.hypot(wanted.re[i]!, wanted.im[i]!);
    err += (a - w) ** 2;
    energy += w * w;
  }
  return 10 * Math.log10(err / energy);
}

describe('PhaseFromMagnitude', () => {
  const frames = 120;
  const istft = new Istft({ nFft: N_FFT, hop: HOP });
  const spectra = stft(voice(frames), frames);

  it('turns magnitudes with scrambled phase into consistent frames (re-analysis matches)', () => {
    const scrambled = scramble(spectra);
    const before = inconsistencyDb(istft.synthesize(scrambled, 0, frames, frames), spectra, frames);
    // The phase alone: sharpening changes the magnitudes on purpose (sharpen.test.ts).
    const phase = new PhaseFromMagnitude({ nFft: N_FFT, hop: HOP, sharpen: { width: 11, beta: 1 } });
    phase.push(magnitudes(scrambled));
    const rebuilt = istft.synthesize(phase.spectra(0, frames - 1, frames), 0, frames, frames);
    const after = inconsistencyDb(rebuilt, spectra, frames);
    expect(before).toBeGreaterThan(-6);
    expect(after).toBeLessThan(-15);
  });

  it('gives the same audio for any window schedule (streaming equals whole, bit for bit)', () => {
    const all = new PhaseFromMagnitude({ nFft: N_FFT, hop: HOP });
    all.push(magnitudes(spectra));
    const whole = istft.synthesize(all.spectra(0, frames - 1, frames), 0, frames, frames);
    const phase = new PhaseFromMagnitude({ nFft: N_FFT, hop: HOP });
    const streamed: number[] = [];
    let size = 7;
    let pushed = 0;
    for (let a = 0; a < frames; ) {
      const b = Math.min(frames, a + size);
      const { first, last } = istft.framesFor(a, b, frames);
      const through = Math.min(frames - 1, last + 1);
      phase.push(magnitudes(spectra, pushed, through));
      pushed = through + 1;
      streamed.push(...istft.synthesize(phase.spectra(first, last, frames), a, b, frames));
      a = b;
      size = Math.min(43, size * 2);
    }
    expect(streamed).toEqual(Array.from(whole));
  });

  it('refuses magnitudes out of order and frames it has not been given', () => {
    const phase = new PhaseFromMagnitude({ nFft: N_FFT, hop: HOP });
    phase.push(magnitudes(spectra, 0, 10));
    expect(() => phase.push(magnitudes(spectra, 12, 20))).toThrow(/out of order/);
    expect(() => phase.spectra(0, 10, frames)).toThrow(/frame 11 has not been pushed/);
    expect(phase.spectra(5, 9, frames).stride).toBe(5); // frames 0..9 were committed before the failure
    expect(() => phase.spectra(11, 11, frames)).toThrow(/frame 10 was skipped/);
  });
});
