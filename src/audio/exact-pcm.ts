/**
 * Resampled int16 audio of an exact, announced length (for headers written before the audio exists). Pure.
 */
import { floatToInt16, StreamResampler } from './pcm';

/** Samples a StreamResampler gives for `n` input samples, up to float rounding (ExactPcm absorbs the last one). */
export function resampledCount(n: number, fromRate: number, toRate: number): number {
  if (fromRate === toRate || n === 0) return n;
  return Math.floor(((n - 1) * toRate) / fromRate) + 1;
}

/**
 * Resampled int16 audio of exactly `total` samples: the resampler's float rounding can give one sample more or less
 * than resampledCount over a long request, so the excess is dropped and a shortfall padded with silence at the end.
 */
export class ExactPcm {
  private readonly resampler: StreamResampler;
  private written = 0;

  constructor(
    modelRate: number,
    outRate: number,
    readonly total: number,
  ) {
    this.resampler = new StreamResampler(modelRate, outRate);
  }

  push(samples: Float32Array): Int16Array {
    const x = this.resampler.push(samples);
    const n = Math.min(x.length, this.total - this.written);
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) out[i] = floatToInt16(x[i]!);
    this.written += n;
    return out;
  }

  /** Silence to reach `total` (a sample or so at most, unless the stream stopped short). */
  end(): Int16Array {
    const pad = new Int16Array(this.total - this.written);
    this.written = this.total;
    return pad;
  }
}
