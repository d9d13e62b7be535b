/**
 * Audio at the model rate in, PCM16 chunks of the client's chunkMs at the client's rate out. The first chunk leaves
 * as soon as there is any audio (it may be shorter); later chunks are exactly chunkMs, the last one what is left.
 */
import { floatToPcm16, StreamResampler } from '../audio';

export class StreamFramer {
  private readonly resampler: StreamResampler;
  private readonly chunkSamples: number;
  private buffer: Float32Array = new Float32Array(0);
  private sentAny = false;
  /** Samples handed out so far, at the output rate. */
  samplesOut = 0;

  constructor(modelRate: number, readonly outRate: number, chunkMs: number) {
    this.resampler = new StreamResampler(modelRate, outRate);
    this.chunkSamples = Math.max(1, Math.round((outRate * chunkMs) / 1000));
  }

  /** Adds audio; returns the PCM16 chunks now complete. */
  push(samples: Float32Array): Uint8Array[] {
    const resampled = this.resampler.push(samples);
    const merged = new Float32Array(this.buffer.length + resampled.length);
    merged.set(this.buffer);
    merged.set(resampled, this.buffer.length);
    this.buffer = merged;
    const out: Uint8Array[] = [];
    if (!this.sentAny && this.buffer.length > 0) {
      out.push(this.take(Math.min(this.chunkSamples, this.buffer.length)));
      this.sentAny = true;
    }
    while (this.buffer.length >= this.chunkSamples) out.push(this.take(this.chunkSamples));
    return out;
  }

  /** The remainder as a last chunk (none when empty). */
  flush(): Uint8Array[] {
    return this.buffer.length > 0 ? [this.take(this.buffer.length)] : [];
  }

  /** Milliseconds of audio handed out so far. */
  get msOut(): number {
    return (this.samplesOut * 1000) / this.outRate;
  }

  private take(n: number): Uint8Array {
    const pcm = floatToPcm16(this.buffer.subarray(0, n));
    this.buffer = this.buffer.slice(n);
    this.samplesOut += n;
    return pcm;
  }
}
