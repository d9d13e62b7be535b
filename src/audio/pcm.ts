/** Float samples to 16-bit PCM, a streaming resampler, and a streaming WAV header. */

/** One float sample in [-1, 1] as a 16-bit integer (clipped; -1 maps to -32768, 1 to 32767). */
export function floatToInt16(sample: number): number {
  const s = Math.max(-1, Math.min(1, sample));
  return Math.round(s < 0 ? s * 32768 : s * 32767);
}

/** Float32 samples in [-1, 1] to s16le bytes (clipped). */
export function floatToPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, floatToInt16(samples[i]!), true);
  return out;
}

/**
 * Linear-interpolation resampler that keeps its phase across pushes, so chunked input gives the same output as
 * one-shot input. Identity when the rates match.
 */
export class StreamResampler {
  private readonly step: number;
  private pos = 0; // position of the next output sample, in input samples relative to `prev`
  private prev: number | undefined;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    this.step = fromRate / toRate;
  }

  push(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input;
    // Virtual buffer: [prev, ...input]; index 0 is prev when present.
    const offset = this.prev === undefined ? 0 : 1;
    const total = input.length + offset;
    const at = (i: number): number => (i < offset ? this.prev! : input[i - offset]!);
    const out: number[] = [];
    let pos = this.pos;
    while (pos + 1 < total || (pos === total - 1 && Number.isInteger(pos))) {
      const i = Math.floor(pos);
      const frac = pos - i;
      out.push(frac === 0 ? at(i) : at(i) * (1 - frac) + at(i + 1) * frac);
      pos += this.step;
    }
    if (total > 0) {
      this.prev = at(total - 1);
      this.pos = pos - (total - 1);
    }
    return Float32Array.from(out);
  }
}

/** Number of output samples a resampler gives for `n` input samples (for length estimates). */
export function resampledLength(n: number, fromRate: number, toRate: number): number {
  return fromRate === toRate ? n : Math.ceil((n * toRate) / fromRate);
}

/** A 44-byte WAV header for mono s16le; `dataBytes` unknown (streaming) writes the maximum sizes. */
export function wavHeader(sampleRate: number, dataBytes = 0xffffffff - 36): Uint8Array {
  const h = new Uint8Array(44);
  const v = new DataView(h.buffer);
  const ascii = (off: number, s: string): void => {
    for (let i = 0; i < s.length; i++) h[off + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, Math.min(0xffffffff, 36 + dataBytes), true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  return h;
}
