import { describe, expect, it } from 'vitest';
import { ExactPcm, resampledCount } from './exact-pcm';
import { StreamResampler } from './pcm';

/** Deterministic chunk sizes like the vocoder's windows (multiples of the 256-sample hop). */
function* pieces(n: number, seed: number): Generator<number> {
  let s = seed;
  for (let left = n; left > 0; ) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const k = Math.min(left, 256 * (7 + (s % 37)));
    yield k;
    left -= k;
  }
}

describe('resampledCount', () => {
  it('is what StreamResampler gives, within one sample, over long chunked inputs', () => {
    let exact = 0;
    let tried = 0;
    for (const [from, to] of [[22050, 24000], [22050, 16000], [22050, 22050]] as const) {
      for (let t = 0; t < 15; t++) {
        const n = 1 + ((t * 7919 * 1013) % (22050 * 20));
        const r = new StreamResampler(from, to);
        let got = 0;
        for (const k of pieces(n, t)) got += r.push(new Float32Array(k)).length;
        expect(Math.abs(got - resampledCount(n, from, to))).toBeLessThanOrEqual(1);
        tried++;
        if (got === resampledCount(n, from, to)) exact++;
      }
    }
    expect(exact / tried).toBeGreaterThan(0.9);
  });
});

describe('ExactPcm', () => {
  it('writes exactly the announced samples: drops an excess, pads a shortfall with silence', () => {
    const long = new ExactPcm(22050, 22050, 100);
    expect(long.push(new Float32Array(80).fill(0.5)).length).toBe(80);
    expect(long.push(new Float32Array(80).fill(0.5)).length).toBe(20);
    expect(long.end().length).toBe(0);
    const short = new ExactPcm(22050, 24000, resampledCount(1000, 22050, 24000));
    const got = short.push(new Float32Array(990).fill(-0.25));
    expect(got.every((v) => v === Math.round(-0.25 * 32768))).toBe(true);
    const pad = short.end();
    expect(got.length + pad.length).toBe(resampledCount(1000, 22050, 24000));
    expect(pad.every((v) => v === 0)).toBe(true);
  });
});
