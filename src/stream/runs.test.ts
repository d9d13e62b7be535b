import { describe, expect, it } from 'vitest';
import { phonemizeChunk } from '../phonemes';
import { planChunks } from '../text';
import { boundedRuns, MAX_RUN_IDS } from './runs';

const runsOf = (text: string, max = MAX_RUN_IDS) => planChunks(text).flatMap((c) => boundedRuns(c, phonemizeChunk, max));

describe('boundedRuns', () => {
  it('leaves ordinary chunks whole', () => {
    for (const c of planChunks('The old lighthouse stood at the edge of the cliff, its lamp long dark.')) {
      expect(boundedRuns(c, phonemizeChunk)).toEqual([{ chunk: c, phonemes: phonemizeChunk(c) }]);
    }
  });

  it.each([
    ['spelled acronyms (~5 ids per character)', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(40)],
    ['a 5,000-letter word', 'a'.repeat(5000)],
    ['digits', '7'.repeat(5000)],
  ])('%s: no run over the cap, every word kept once, in order', (_name, text) => {
    for (const max of [MAX_RUN_IDS, 120]) {
      const runs = runsOf(text, max);
      for (const r of runs) expect(r.phonemes.ids.length).toBeLessThanOrEqual(max);
      expect(runs.flatMap((r) => r.chunk.words)).toEqual(planChunks(text).flatMap((c) => c.words));
      // Each run's text still has one space-separated part per word (what word timing relies on).
      for (const r of runs) expect(r.chunk.text.split(' ').length).toBe(r.chunk.words.length);
    }
  });
});
