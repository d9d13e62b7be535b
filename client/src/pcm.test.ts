import { describe, expect, it } from 'vitest';
import { PreSkip, decodePcm16 } from './pcm';
import { TtsError } from './wire';

describe('decodePcm16', () => {
  it('reads little-endian int16 as float in [-1, 1)', () => {
    const ints = [0, 1, -1, 16384, -16384, 32767, -32768];
    const bytes = new Uint8Array(ints.length * 2);
    const view = new DataView(bytes.buffer);
    ints.forEach((v, i) => view.setInt16(2 * i, v, true));
    expect(Array.from(decodePcm16(bytes))).toEqual(ints.map((v) => v / 32768));
  });

  it('reads a payload that starts at an odd offset in its buffer (after the 4-byte seq and more)', () => {
    const buf = new Uint8Array(7);
    new DataView(buf.buffer).setInt16(3, -2, true);
    new DataView(buf.buffer).setInt16(5, 300, true);
    expect(Array.from(decodePcm16(buf.subarray(3)))).toEqual([-2 / 32768, 300 / 32768]);
  });

  it('rejects a payload of odd length with a typed error', () => {
    expect(() => decodePcm16(new Uint8Array(3))).toThrow(TtsError);
  });
});

describe('PreSkip', () => {
  it('drops the first n samples across pieces', () => {
    const s = new PreSkip(5);
    const f = (...v: number[]) => Float32Array.from(v);
    expect(Array.from(s.apply(f(1, 2, 3)))).toEqual([]);
    expect(Array.from(s.apply(f(4, 5, 6, 7)))).toEqual([6, 7]);
    expect(Array.from(s.apply(f(8)))).toEqual([8]);
  });
  it('rejects a negative or fractional count', () => {
    expect(() => new PreSkip(-1)).toThrow(RangeError);
    expect(() => new PreSkip(1.5)).toThrow(RangeError);
  });
});
