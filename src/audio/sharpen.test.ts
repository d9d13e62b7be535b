import { describe, expect, it } from 'vitest';
import { sharpenLogMagnitude } from './sharpen';

/** The definition, written directly: each bin's mean over `width` bins of the edge-padded frame. */
function naive(log: number[], width: number, beta: number): number[] {
  const half = width >> 1;
  const at = (i: number): number => log[Math.min(log.length - 1, Math.max(0, i))]!;
  return log.map((x, b) => {
    let sum = 0;
    for (let i = b - half; i <= b + half; i++) sum += at(i);
    const mean = sum / width;
    return mean + beta * (x - mean);
  });
}

describe('sharpenLogMagnitude', () => {
  const frame = Array.from({ length: 40 }, (_, b) => Math.sin(b * 1.3) * 2 - b * 0.05 + (b % 7 === 0 ? 1 : 0));

  it('scales the fine structure around the local mean, edges repeated', () => {
    const log = Float64Array.from(frame);
    sharpenLogMagnitude(log, new Float64Array(log.length + 11), { width: 11, beta: 1.25 });
    const want = naive(frame, 11, 1.25);
    log.forEach((x, b) => expect(x).toBeCloseTo(want[b]!, 12));
  });

  it('deepens the valleys of a harmonic comb and keeps its envelope', () => {
    // A comb of period 5 bins (a 107 Hz voice at 21.5 Hz per bin) on a flat envelope: width 5 averages one period.
    const comb = Array.from({ length: 60 }, (_, b) => (b % 5 === 0 ? 0 : -3));
    const log = Float64Array.from(comb);
    sharpenLogMagnitude(log, new Float64Array(log.length + 5), { width: 5, beta: 1.5 });
    const depth = (x: ArrayLike<number>): number => x[30]! - x[31]!;
    expect(depth(log)).toBeCloseTo(1.5 * depth(comb), 12);
    const mean = (x: ArrayLike<number>): number => Array.from(x).slice(10, 50).reduce((a, v) => a + v, 0) / 40;
    expect(mean(log)).toBeCloseTo(mean(comb), 12);
  });

  it('leaves a frame alone at beta 1 and a flat frame at any beta', () => {
    const log = Float64Array.from(frame);
    sharpenLogMagnitude(log, new Float64Array(log.length + 11), { width: 11, beta: 1 });
    expect(Array.from(log)).toEqual(frame);
    const flat = new Float64Array(20).fill(-2);
    sharpenLogMagnitude(flat, new Float64Array(31), { width: 11, beta: 2 });
    flat.forEach((x) => expect(x).toBeCloseTo(-2, 12));
  });
});
