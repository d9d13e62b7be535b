import { describe, expect, it } from 'vitest';
import { WrittenWords, type SpokenWord } from './written-words';

const spoken = (text: string, start: number, end: number, startMs: number, endMs: number): SpokenWord => ({ text, startMs, endMs, source: { start, end } });

describe('WrittenWords', () => {
  it('lists a token read as several words once, spanning all of them', () => {
    const w = new WrittenWords();
    // "It costs $3.50 now": "$3.50" is read "three dollars and fifty cents".
    const out = w.push([
      spoken('It', 0, 2, 0, 100),
      spoken('costs', 3, 8, 100, 400),
      ...['three', 'dollars', 'and', 'fifty', 'cents'].map((_, i) => spoken('$3.50', 9, 14, 400 + i * 100, 500 + i * 100)),
      spoken('now', 15, 18, 900, 1100),
    ]);
    expect(out).toEqual([
      { text: 'It', startMs: 0, endMs: 100 },
      { text: 'costs', startMs: 100, endMs: 400 },
      { text: '$3.50', startMs: 400, endMs: 900 },
    ]);
    expect(w.flush()).toEqual([{ text: 'now', startMs: 900, endMs: 1100 }]);
    expect(w.flush()).toEqual([]);
  });

  it('keeps a token open across pushes (its reading may go on in the next run)', () => {
    const w = new WrittenWords();
    expect(w.push([spoken('bob@example.org', 0, 15, 0, 200), spoken('bob@example.org', 0, 15, 200, 300)])).toEqual([]);
    expect(w.push([spoken('bob@example.org', 0, 15, 300, 700), spoken('hi', 16, 18, 700, 800)])).toEqual([
      { text: 'bob@example.org', startMs: 0, endMs: 700 },
    ]);
  });

  it('does not merge two tokens with the same text', () => {
    const w = new WrittenWords();
    const out = [...w.push([spoken('the', 0, 3, 0, 100), spoken('the', 4, 7, 100, 200)]), ...w.flush()];
    expect(out.map((e) => e.text)).toEqual(['the', 'the']);
  });
});
