import { MPEGDecoder } from 'mpg123-decoder';
import { beforeAll, describe, expect, it } from 'vitest';
import { Mp3StreamEncoder, type LameRuntime } from '.';
import { nodeLameRuntime } from './testing';
import { bestLagCorrelation } from '../testing';

let runtime: LameRuntime;
beforeAll(async () => {
  runtime = await nodeLameRuntime();
});

/** A voiced-speech-like test signal: a 140 Hz sawtooth-ish tone with a slow amplitude envelope. */
function signal(n: number, rate: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const env = 0.5 + 0.4 * Math.sin(2 * Math.PI * 3 * t);
    out[i] = env * (0.5 * Math.sin(2 * Math.PI * 140 * t) + 0.25 * Math.sin(2 * Math.PI * 280 * t) + 0.1 * Math.sin(2 * Math.PI * 700 * t));
  }
  return out;
}

async function decode(bytes: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number; errors: number }> {
  const d = new MPEGDecoder();
  await d.ready;
  const out = d.decode(bytes);
  d.free();
  return { samples: out.channelData[0]!, sampleRate: out.sampleRate, errors: out.errors.length };
}

describe('Mp3StreamEncoder', () => {
  it('streams frames that mpg123 decodes back to the input (length within a frame of delay, waveform kept)', async () => {
    const rate = 22050;
    const input = signal(rate * 2, rate);
    const enc = new Mp3StreamEncoder(runtime, { sampleRate: rate });
    const parts: Uint8Array[] = [];
    // Pieces of uneven size, as the vocoder windows give them.
    for (let off = 0, size = 1792; off < input.length; off += size, size = Math.min(11008, size * 2)) parts.push(enc.push(input.subarray(off, off + size)));
    parts.push(enc.finish());
    expect(parts.slice(0, -1).some((p) => p.length > 0)).toBe(true); // bytes leave before the end
    const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((off, p) => (bytes.set(p, off), off + p.length), 0);
    // 64 kbit/s CBR: 2 s is about 16 KB.
    expect(bytes.length).toBeGreaterThan(14_000);
    expect(bytes.length).toBeLessThan(18_500);
    expect(bytes[0]).toBe(0xff); // a frame sync, no ID3 tag in front
    const out = await decode(bytes);
    expect(out.errors).toBe(0);
    expect(out.sampleRate).toBe(rate);
    // MPEG-2 layer III: 576 samples per frame; LAME adds its delay and pads the last frame.
    expect(out.samples.length).toBeGreaterThanOrEqual(input.length);
    expect(out.samples.length).toBeLessThan(input.length + 3 * 576);
    const { r } = bestLagCorrelation(input.subarray(2000, 20000), out.samples.subarray(2000), 2000);
    expect(r).toBeGreaterThan(0.95);
  });

  it('refuses rates LAME cannot encode and use after free', () => {
    expect(() => new Mp3StreamEncoder(runtime, { sampleRate: 22051 })).toThrow(/sample rate/);
    const enc = new Mp3StreamEncoder(runtime, { sampleRate: 24000 });
    enc.finish();
    expect(() => enc.push(new Float32Array(10))).toThrow(/freed/);
    enc.free();
  });
});
