/** Sample conversions with no browser API, so they are unit-tested in Node. */
import { TtsError } from './wire';

/** pcm16 chunk payload (s16le mono) to float samples in [-1, 1). */
export function decodePcm16(payload: Uint8Array): Float32Array {
  if (payload.length % 2 !== 0) throw new TtsError('bad_frame', `pcm16 chunk of ${payload.length} bytes is not whole 16-bit samples`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const out = new Float32Array(payload.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, true) / 32768;
  return out;
}

/** Drops the first `n` samples of a stream delivered in pieces: Opus's pre-skip (the encoder's look-ahead). */
export class PreSkip {
  constructor(private remaining: number) {
    if (!Number.isInteger(remaining) || remaining < 0) throw new RangeError(`preSkip must be a non-negative integer, got ${remaining}`);
  }

  apply(samples: Float32Array): Float32Array {
    if (this.remaining === 0) return samples;
    const drop = Math.min(this.remaining, samples.length);
    this.remaining -= drop;
    return samples.subarray(drop);
  }
}
