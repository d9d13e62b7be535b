import { describe, expect, it } from 'vitest';
import { AckBatcher, ResumeTracker, backoffDelays } from './resume';

describe('backoffDelays', () => {
  it('doubles from 250 ms to a 4 s cap over 6 tries by default', () => {
    expect(backoffDelays()).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });
  it('follows the options', () => {
    expect(backoffDelays({ initialMs: 100, factor: 3, maxMs: 1000, tries: 4 })).toEqual([100, 300, 900, 1000]);
    expect(backoffDelays({ tries: 0 })).toEqual([]);
  });
  it('rejects nonsense', () => {
    expect(() => backoffDelays({ tries: -1 })).toThrow(RangeError);
    expect(() => backoffDelays({ factor: 0.5 })).toThrow(RangeError);
    expect(() => backoffDelays({ tries: 1.5 })).toThrow(RangeError);
  });
});

describe('ResumeTracker', () => {
  it('resumes from the first chunk not received and drops repeats', () => {
    const t = new ResumeTracker();
    expect(t.resumeFrom).toBe(0);
    expect([0, 1, 2].map((s) => t.acceptChunk(s))).toEqual([true, true, true]);
    expect(t.resumeFrom).toBe(3);
    expect(t.acceptChunk(2)).toBe(false);
    expect(t.acceptChunk(3)).toBe(true);
    expect(t.resumeFrom).toBe(4);
  });

  it('drops words the server repeats after a resume', () => {
    const t = new ResumeTracker();
    const w = (text: string, startMs: number) => ({ text, startMs, endMs: startMs + 200 });
    expect(t.acceptWords([w('hello', 0), w('there', 250)])).toEqual([w('hello', 0), w('there', 250)]);
    // Resumed mid-"there": the server sends it again with the next word.
    expect(t.acceptWords([w('there', 250), w('friend', 500)])).toEqual([w('friend', 500)]);
    expect(t.acceptWords([w('friend', 500)])).toEqual([]);
  });

  it('asks for the words after the last one received, or all of them when none came', () => {
    const t = new ResumeTracker();
    expect(t.wordsAfterMs).toBe(0);
    t.acceptWords([{ text: 'hello', startMs: 0, endMs: 280 }]);
    expect(t.wordsAfterMs).toBe(280);
  });
});

describe('AckBatcher', () => {
  it('acknowledges the first chunk at once and later ones at most every interval', () => {
    const a = new AckBatcher(100);
    expect(a.onChunk(0, 1000)).toBe(0);
    expect(a.onChunk(1, 1040)).toBeNull();
    expect(a.onChunk(2, 1080)).toBeNull();
    expect(a.dueInMs(1080)).toBe(20);
    expect(a.onChunk(3, 1100)).toBe(3); // covers 1..3
    expect(a.dueInMs(1100)).toBeNull();
  });

  it('lets a timer acknowledge the last chunks', () => {
    const a = new AckBatcher(100);
    a.onChunk(0, 0);
    a.onChunk(1, 30);
    expect(a.flush(100)).toBe(1);
    expect(a.flush(150)).toBeNull();
    expect(a.dueInMs(150)).toBeNull();
  });
});
