/**
 * What one request has spoken so far: the decoded samples (for the WAV download) and a peak level per short window
 * (for the level display), both kept as the audio arrives. Pure.
 */
import { floatToPcm16, wavHeader } from '../../src/audio/pcm';

/** Length of one level window. */
export const LEVEL_WINDOW_MS = 20;

export class Recording {
  private readonly chunks: Float32Array[] = [];
  private readonly peaks: number[] = [];
  private readonly windowSamples: number;
  private total = 0;

  constructor(readonly sampleRate: number) {
    if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be > 0, got ${sampleRate}`);
    this.windowSamples = Math.max(1, Math.round((sampleRate * LEVEL_WINDOW_MS) / 1000));
  }

  /** Keeps a copy of `samples` (the caller's array may be handed to the audio thread right after). */
  append(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples.slice());
    for (let i = 0; i < samples.length; i++) {
      const w = Math.floor((this.total + i) / this.windowSamples);
      const v = Math.abs(samples[i]!);
      if (w >= this.peaks.length) this.peaks.push(v);
      else if (v > this.peaks[w]!) this.peaks[w] = v;
    }
    this.total += samples.length;
  }

  get samples(): number {
    return this.total;
  }

  get durationMs(): number {
    return (this.total / this.sampleRate) * 1000;
  }

  /** Peak |sample| of each LEVEL_WINDOW_MS window so far, in order. */
  get levels(): readonly number[] {
    return this.peaks;
  }

  /** The whole recording as a mono 16-bit WAV file with exact sizes. */
  wav(): Uint8Array {
    const out = new Uint8Array(44 + this.total * 2);
    out.set(wavHeader(this.sampleRate, this.total * 2), 0);
    let at = 44;
    for (const c of this.chunks) {
      out.set(floatToPcm16(c), at);
      at += c.length * 2;
    }
    return out;
  }
}
