import { describe, expect, it } from 'vitest';
import { WrittenWords, type SpokenWord } from './written-words';

const spoken = (text: string, start: number, end: number, startMs: number, endMs: number): SpokenWord => ({ text, startMs, endMs, source: { start, end } });

describe('WrittenWords', () => {
  it('lists a token read as several words once, spanning all of them', () => {
    const text = 'It costs $3.50 now';
    const w = new WrittenWords((a, b) => text.slice(a, b));
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
    const text = 'bob@example.org hi';
    const w = new WrittenWords((a, b) => text.slice(a, b));
    expect(w.push([spoken('bob@example.org', 0, 15, 0, 200), spoken('bob@example.org', 0, 15, 200, 300)])).toEqual([]);
    expect(w.push([spoken('bob@example.org', 0, 15, 300, 700), spoken('hi', 16, 18, 700, 800)])).toEqual([
      { text: 'bob@example.org', startMs: 0, endMs: 700 },
    ]);
  });

  it('does not merge two tokens with the same text', () => {
    const text = 'the the';
    const w = new WrittenWords((a, b) => text.slice(a, b));
    const out = [...w.push([spoken('the', 0, 3, 0, 100), spoken('the', 4, 7, 100, 200)]), ...w.flush()];
    expect(out.map((e) => e.text)).toEqual(['the', 'the']);
  });

  it('joins the readings of one unspaced token ("5x", "9am-5pm") and strips the punctuation around it', () => {
    const text = 'Go 5x faster, 9am-5pm (Dr. Who)';
    const w = new WrittenWords((a, b) => text.slice(a, b));
    const at = (s: string): [number, number] => [text.indexOf(s), text.indexOf(s) + s.length];
    const said = (src: string, ms: number, n = 1): SpokenWord[] => Array.from({ length: n }, (_, i) => spoken(src, ...at(src), ms + i * 10, ms + i * 10 + 10));
    const out = [
      ...w.push([...said('Go', 0), ...said('5', 10), ...said('x', 20), ...said('faster', 30)]),
      ...w.push([...said('9am', 40, 3), ...said('-', 70), ...said('5pm', 80, 3), ...said('Dr.', 110), ...said('Who', 120)]),
      ...w.flush(),
    ];
    expect(out).toEqual([
      { text: 'Go', startMs: 0, endMs: 10 },
      { text: '5x', startMs: 10, endMs: 30 },
      { text: 'faster', startMs: 30, endMs: 40 },
      { text: '9am-5pm', startMs: 40, endMs: 110 },
      { text: 'Dr', startMs: 110, endMs: 120 },
      { text: 'Who', startMs: 120, endMs: 130 },
    ]);
  });
});
