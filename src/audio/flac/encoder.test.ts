import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { describe, expect, it } from 'vitest';
import { crc16, crc8 } from './bits';
import { FlacStreamEncoder } from '.';

async function decode(bytes: Uint8Array): Promise<{ samples: Int16Array; sampleRate: number; bitDepth: number; errors: number }> {
  const d = new FLACDecoder();
  await d.ready;
  const out = await d.decodeFile(bytes);
  d.free();
  return { samples: Int16Array.from(out.channelData[0] ?? [], (v) => Math.round(v * 32767)) /* the decoder scales by 1/32767 */, sampleRate: out.sampleRate, bitDepth: out.bitDepth, errors: out.errors.length };
}

function encode(x: Int16Array, sampleRate: number, pieces: number[]): Uint8Array {
  const enc = new FlacStreamEncoder({ sampleRate, totalSamples: x.length });
  const parts = [enc.header()];
  let off = 0;
  for (const p of pieces) {
    parts.push(enc.push(x.subarray(off, off + p)));
    off += p;
  }
  parts.push(enc.push(x.subarray(off)), enc.finish());
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
  return out;
}

/** Deterministic pseudo-random int16 noise (xorshift). */
function noise(n: number, amp: number, seed = 1): Int16Array {
  let s = seed;
  return Int16Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return Math.round(((s >>> 0) / 2 ** 32 - 0.5) * 2 * amp);
  });
}

const tone = (n: number, rate: number): Int16Array =>
  Int16Array.from({ length: n }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * 150 * i) / rate) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 2 * i) / rate))));

describe('FlacStreamEncoder', () => {
  it('is lossless: the reference decoder gives back every sample, with the rate and length of STREAMINFO', async () => {
    const rate = 22050;
    // 160 blocks, so frame numbers need the two-byte code; an odd total, so the last block is short.
    const x = tone(1152 * 160 + 777, rate);
    x.set(noise(3000, 30000), 50_000); // a loud noisy stretch (verbatim or high-order blocks)
    const bytes = encode(x, rate, [1792, 3584, 7168, 11008, 11008]);
    const info = new DataView(bytes.buffer, 8, 34);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('fLaC');
    expect(Number((info.getBigUint64(10) & 0xfffffffffn))).toBe(x.length);
    const out = await decode(bytes);
    expect(out.errors).toBe(0);
    expect(out.sampleRate).toBe(rate);
    expect(out.bitDepth).toBe(16);
    expect(out.samples.length).toBe(x.length);
    expect(out.samples).toEqual(x);
    // A smooth tone compresses well below PCM16 (2 bytes per sample).
    expect(bytes.length).toBeLessThan(x.length * 2 * 0.6);
  });

  it('handles silence, full-scale noise, one-sample and empty streams', async () => {
    for (const x of [new Int16Array(5000), noise(4000, 32767, 7), Int16Array.of(-32768), new Int16Array(0)]) {
      const bytes = encode(x, 24000, []);
      const out = await decode(bytes);
      expect(out.samples).toEqual(x);
    }
  });

  it('refuses more or fewer samples than STREAMINFO declares', () => {
    const enc = new FlacStreamEncoder({ sampleRate: 22050, totalSamples: 10 });
    expect(() => enc.finish()).toThrow(/STREAMINFO/);
    expect(() => enc.push(new Int16Array(11))).toThrow(/STREAMINFO/);
  });

  it('computes the CRCs of the format (check values of CRC-8/SMBUS and CRC-16/UMTS)', () => {
    const ascii = new TextEncoder().encode('123456789');
    expect(crc8(ascii)).toBe(0xf4);
    expect(crc16(ascii)).toBe(0xfee8);
  });
});
