import { describe, expect, it } from 'vitest';
import { StreamFramer } from './framer';

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i % 100) - 50) / 100);

describe('StreamFramer', () => {
  it('sends the first chunk at once, then whole chunkMs chunks, then the rest', () => {
    const f = new StreamFramer(22050, 22050, 100); // 2205 samples per chunk
    const sizes: number[] = [];
    for (const piece of [ramp(1800), ramp(5000), ramp(3000)]) sizes.push(...f.push(piece).map((c) => c.length / 2));
    sizes.push(...f.flush().map((c) => c.length / 2));
    expect(sizes).toEqual([1800, 2205, 2205, 2205, 1385]);
    expect(f.samplesOut).toBe(9800);
    expect(f.msOut).toBeCloseTo((9800 / 22050) * 1000, 6);
  });

  it('resamples to the output rate with the same total as one-shot', () => {
    const f = new StreamFramer(22050, 16000, 80);
    let bytes = 0;
    for (let i = 0; i < 10; i++) for (const c of f.push(ramp(2205))) bytes += c.length;
    for (const c of f.flush()) bytes += c.length;
    expect(Math.abs(bytes / 2 - 16000)).toBeLessThanOrEqual(1);
  });

  it('flushes nothing when empty', () => {
    expect(new StreamFramer(22050, 24000, 80).flush()).toEqual([]);
  });
});
