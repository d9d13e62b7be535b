import { describe, expect, it } from 'vitest';
import { floatToPcm16, StreamResampler, wavHeader } from './pcm';

describe('floatToPcm16', () => {
  it.each([
    { name: 'zero', input: 0, target: 0 },
    { name: 'full positive', input: 1, target: 32767 },
    { name: 'full negative', input: -1, target: -32768 },
    { name: 'clips above', input: 2, target: 32767 },
    { name: 'half', input: 0.5, target: 16384 },
  ])('$name', ({ input, target }) => {
    const bytes = floatToPcm16(Float32Array.of(input));
    expect(new DataView(bytes.buffer).getInt16(0, true)).toBe(target);
  });
});

describe('StreamResampler', () => {
  const input = new Float32Array(22050);
  for (let i = 0; i < input.length; i++) input[i] = Math.sin((2 * Math.PI * 440 * i) / 22050);

  it.each([16000, 24000])('chunked equals one-shot at %i Hz, with the right length', (rate) => {
    const oneShot = new StreamResampler(22050, rate).push(input);
    const r = new StreamResampler(22050, rate);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 1777) parts.push(...r.push(input.subarray(i, i + 1777)));
    expect(Math.abs(oneShot.length - rate)).toBeLessThanOrEqual(1);
    expect(parts.length).toBe(oneShot.length);
    for (let i = 0; i < parts.length; i++) expect(parts[i]).toBeCloseTo(oneShot[i]!, 5);
    // still a 440 Hz sine at the new rate
    for (let i = 0; i < 200; i++) expect(oneShot[i]!).toBeCloseTo(Math.sin((2 * Math.PI * 440 * i) / rate), 1);
  });

  it('passes through at the same rate', () => {
    expect(new StreamResampler(22050, 22050).push(input)).toBe(input);
  });
});

describe('wavHeader', () => {
  it('writes a mono s16le RIFF header', () => {
    const h = wavHeader(22050, 1000);
    const v = new DataView(h.buffer);
    expect(String.fromCharCode(...h.subarray(0, 4))).toBe('RIFF');
    expect(v.getUint32(4, true)).toBe(1036);
    expect(v.getUint32(24, true)).toBe(22050);
    expect(v.getUint16(34, true)).toBe(16);
    expect(v.getUint32(40, true)).toBe(1000);
  });
});
