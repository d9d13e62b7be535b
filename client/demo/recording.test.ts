import { describe, expect, it } from 'vitest';
import { LEVEL_WINDOW_MS, Recording } from './recording';

/** The fields of a 44-byte mono PCM WAV header, read back. */
function readWav(bytes: Uint8Array) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (off: number, n: number) => String.fromCharCode(...bytes.subarray(off, off + n));
  return {
    riff: ascii(0, 4), riffSize: v.getUint32(4, true), wave: ascii(8, 4), fmt: ascii(12, 4),
    format: v.getUint16(20, true), channels: v.getUint16(22, true), rate: v.getUint32(24, true), bits: v.getUint16(34, true),
    data: ascii(36, 4), dataSize: v.getUint32(40, true),
    sample: (i: number) => v.getInt16(44 + 2 * i, true),
  };
}

describe('Recording', () => {
  it('writes what arrived, in order, as a WAV whose sizes match its length', () => {
    const r = new Recording(22050);
    r.append(Float32Array.of(0, 0.5, -0.5));
    r.append(new Float32Array(0));
    r.append(Float32Array.of(1, -1));
    const bytes = r.wav();
    const w = readWav(bytes);
    expect(bytes.length).toBe(44 + 5 * 2);
    expect(w).toMatchObject({ riff: 'RIFF', riffSize: 36 + 10, wave: 'WAVE', fmt: 'fmt ', format: 1, channels: 1, rate: 22050, bits: 16, data: 'data', dataSize: 10 });
    expect([0, 1, 2, 3, 4].map(w.sample)).toEqual([0, 16384, -16384, 32767, -32768]);
    expect(r.samples).toBe(5);
  });

  it('keeps its own copy of the samples (the player takes the caller\'s buffer)', () => {
    const r = new Recording(48000);
    const s = Float32Array.of(0.25, 0.25);
    r.append(s);
    s.fill(0);
    expect(readWav(r.wav()).sample(0)).toBe(8192);
  });

  it('an empty recording is a valid empty WAV', () => {
    const w = readWav(new Recording(48000).wav());
    expect(w).toMatchObject({ riff: 'RIFF', riffSize: 36, dataSize: 0, rate: 48000 });
  });

  it('measures its duration and a peak level per window across chunk boundaries', () => {
    const rate = 1000; // 20 samples per 20 ms window
    const r = new Recording(rate);
    const a = new Float32Array(30).fill(0.1);
    a[25] = -0.8; // second window
    const b = new Float32Array(15).fill(0.2); // samples 30..44: rest of window 2, start of window 3
    r.append(a);
    r.append(b);
    expect(r.durationMs).toBe(45);
    expect(LEVEL_WINDOW_MS).toBe(20);
    expect(r.levels.map((x) => Number(x.toFixed(3)))).toEqual([0.1, 0.8, 0.2]);
  });
});
