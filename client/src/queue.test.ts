import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlaybackQueue } from './queue';

// At 1000 Hz one sample is one millisecond, so pre-roll and gap figures read directly.
const RATE = 1000;
/** Samples 1..n offset by `from`, so every real sample is non-zero and its position is checkable. */
const ramp = (n: number, from = 0) => Float32Array.from({ length: n }, (_, i) => from + i + 1);
const pull = (q: PlaybackQueue, n: number) => {
  const out = new Float32Array(n).fill(Number.NaN); // stale data must be overwritten
  q.pull(out);
  return Array.from(out);
};

describe('PlaybackQueue', () => {
  it('outputs silence and counts nothing before any audio', () => {
    const q = new PlaybackQueue({ sampleRate: RATE });
    expect(pull(q, 16)).toEqual(new Array(16).fill(0));
    expect(q.stats()).toMatchObject({ state: 'idle', frame: 16, firstSoundFrame: null, underruns: 0, underrunSamples: 0 });
  });

  it('starts in the same quantum as the first chunk when the chunk covers the pre-roll', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 40 });
    pull(q, 16);
    q.push(ramp(50));
    expect(pull(q, 16)).toEqual(Array.from(ramp(16)));
    expect(q.stats()).toMatchObject({ state: 'playing', firstSoundFrame: 16, playedSamples: 16, queuedSamples: 34 });
  });

  it('with no pre-roll, starts on the first sample', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 0 });
    q.push(ramp(3));
    expect(pull(q, 8)).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    expect(q.stats().firstSoundFrame).toBe(0);
  });

  it('waits at most the pre-roll for more audio, to the sample', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 40 });
    q.push(ramp(10));
    const out = [...pull(q, 16), ...pull(q, 16), ...pull(q, 16)];
    expect(out.slice(0, 40)).toEqual(new Array(40).fill(0));
    expect(out.slice(40, 48)).toEqual(Array.from(ramp(8)));
    expect(q.stats()).toMatchObject({ firstSoundFrame: 40, underruns: 0, underrunSamples: 0, state: 'playing' });
  });

  it('starts as soon as the queued audio reaches the pre-roll', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 40 });
    q.push(ramp(10));
    pull(q, 16);
    q.push(ramp(30, 10));
    expect(pull(q, 16)).toEqual(Array.from(ramp(16)));
    expect(q.stats().firstSoundFrame).toBe(16);
  });

  it('starts at once when end() comes before the pre-roll is reached', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 40 });
    q.push(ramp(5));
    q.end();
    expect(pull(q, 8)).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    expect(q.stats()).toMatchObject({ state: 'drained', firstSoundFrame: 0, playedSamples: 5, underruns: 0 });
  });

  it('fills a mid-stream gap with silence and counts it once, with its length, when audio resumes', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 0 });
    q.push(ramp(10));
    expect(pull(q, 16)).toEqual([...ramp(10), 0, 0, 0, 0, 0, 0]);
    expect(q.stats()).toMatchObject({ state: 'underrun', underruns: 0, gapSamples: 6 });
    expect(pull(q, 16)).toEqual(new Array(16).fill(0));
    q.push(ramp(4, 10));
    expect(pull(q, 16)).toEqual([11, 12, 13, 14, ...new Array(12).fill(0)]);
    const s = q.stats();
    expect(s.underruns).toBe(1);
    expect(s.underrunSamples).toBe(6 + 16);
    expect(s.gapSamples).toBe(12);
    q.push(ramp(16, 14));
    pull(q, 16);
    expect(q.stats()).toMatchObject({ underruns: 2, underrunSamples: 22 + 12, playedSamples: 30 });
  });

  it('after an underrun, waits for the pre-roll again and counts that wait as underrun time', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 20 });
    q.push(ramp(30));
    pull(q, 32); // all played; the gap opens at frame 30
    q.push(ramp(5, 30)); // less than the pre-roll: held until frame 50
    const out = [...pull(q, 16), ...pull(q, 16)]; // frames 32..63
    expect(out.slice(0, 18)).toEqual(new Array(18).fill(0));
    expect(out.slice(18, 23)).toEqual([31, 32, 33, 34, 35]);
    expect(q.stats()).toMatchObject({ underruns: 1, underrunSamples: 20 });
  });

  it('is not in a gap when the queue empties exactly at a quantum boundary and audio comes before the next', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 10 });
    q.push(ramp(16));
    pull(q, 16);
    q.push(ramp(4, 16));
    expect(pull(q, 4)).toEqual([17, 18, 19, 20]);
    expect(q.stats()).toMatchObject({ underruns: 0, underrunSamples: 0 });
  });

  it('does not count draining at the end as an underrun', () => {
    const q = new PlaybackQueue({ sampleRate: RATE });
    q.push(ramp(100));
    q.end();
    for (let i = 0; i < 10; i++) pull(q, 16);
    expect(q.stats()).toMatchObject({ state: 'drained', underruns: 0, underrunSamples: 0, playedSamples: 100, queuedSamples: 0 });
  });

  it('does not count a gap as an underrun when end() closes it (done arriving after the audio ran out)', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 0 });
    q.push(ramp(10));
    pull(q, 16);
    pull(q, 16);
    q.end();
    pull(q, 16);
    expect(q.stats()).toMatchObject({ state: 'drained', underruns: 0, underrunSamples: 0, gapSamples: 0 });
  });

  it('plays what is still queued when end() comes during a pre-roll wait after a gap', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 40 });
    q.push(ramp(40));
    pull(q, 48); // plays 40, gap of 8
    q.push(ramp(4, 40));
    q.end();
    expect(pull(q, 8)).toEqual([41, 42, 43, 44, 0, 0, 0, 0]);
    expect(q.stats()).toMatchObject({ state: 'drained', underruns: 1, underrunSamples: 8 });
  });

  it('plays every pushed sample once, in order, whatever the chunk and quantum sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 0, max: 60 }),
        (sizes, quantum, preRollMs) => {
          const q = new PlaybackQueue({ sampleRate: RATE, preRollMs });
          let from = 0;
          for (const n of sizes) {
            q.push(ramp(n, from));
            from += n;
          }
          q.end();
          const real: number[] = [];
          const out = new Float32Array(quantum);
          while (q.stats().state !== 'drained') {
            const n = q.pull(out);
            real.push(...Array.from(out).filter((v) => v !== 0));
            expect(out.length).toBe(quantum);
            expect(n).toBeLessThanOrEqual(quantum);
          }
          expect(real).toEqual(Array.from(ramp(from)));
          // Everything was queued before the first pull: no gaps, and first sound at frame 0.
          expect(q.stats()).toMatchObject({ underruns: 0, firstSoundFrame: 0, playedSamples: from });
        },
      ),
    );
  });

  it('changes its change key exactly when state, first sound or the underrun count change', () => {
    const q = new PlaybackQueue({ sampleRate: RATE, preRollMs: 0 });
    const keys = [q.changeKey];
    q.push(ramp(4));
    keys.push(q.changeKey); // buffering
    pull(q, 2);
    keys.push(q.changeKey); // playing, first sound
    pull(q, 2);
    expect(q.changeKey).toBe(keys[2]); // still playing: nothing to report
    pull(q, 2);
    keys.push(q.changeKey); // underrun
    q.push(ramp(2));
    pull(q, 2);
    keys.push(q.changeKey); // playing again, underruns 1
    expect(new Set(keys).size).toBe(keys.length);
    expect(q.frameCount).toBe(8);
  });

  it('rejects a non-positive rate and a negative pre-roll', () => {
    expect(() => new PlaybackQueue({ sampleRate: 0 })).toThrow(RangeError);
    expect(() => new PlaybackQueue({ sampleRate: RATE, preRollMs: -1 })).toThrow(RangeError);
  });
});
