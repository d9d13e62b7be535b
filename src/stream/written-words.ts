/**
 * Word timings per written token: the synthesizer times every spoken word, but "$3.50" is spoken as four words,
 * "bob@example.org" as five and "9am-5pm" as six, and a client highlighting text wants each token once. Pure.
 */
import type { ProtocolWord } from '../protocol';

/** A spoken word and the span [start, end) of the text it was read from (shared by all words of one reading). */
export interface SpokenWord extends ProtocolWord {
  source: { start: number; end: number };
}

/** A token as shown in `words`: without the punctuation around it ("Smith," → Smith), keeping "$3.50", "50%", "20°". */
export function writtenText(raw: string): string {
  return raw.trim().replace(/^[^\p{L}\p{N}\p{Sc}]+|[^\p{L}\p{N}\p{Sc}'’%°-]+$/gu, '');
}

/**
 * Merges consecutive spoken words of one written token (text between whitespace) into one entry, from its first
 * word's start to its last word's end, with the token's text. A token's entry is held back until a word of another
 * token arrives, since its reading may go on in the next acoustic run; `flush` releases it (end of the request, or
 * the text source waiting).
 */
export class WrittenWords {
  private held: SpokenWord | undefined;

  /** `read(start, end)`: the request's text in that span (the words' sources index into it). */
  constructor(private readonly read: (start: number, end: number) => string) {}

  /** Entries of tokens that are now complete, in order. */
  push(words: readonly SpokenWord[]): ProtocolWord[] {
    const out: ProtocolWord[] = [];
    for (const w of words) {
      const h = this.held;
      // One token: the same reading, or nothing but non-space characters in between ("5x", "COVID-19").
      if (h && (w.source.start < h.source.end || !/\s/u.test(this.read(h.source.end, w.source.start)))) {
        const source = { start: h.source.start, end: Math.max(h.source.end, w.source.end) };
        const text = writtenText(this.read(source.start, source.end)) || h.text;
        this.held = { text, startMs: h.startMs, endMs: Math.max(h.endMs, w.endMs), source };
        continue;
      }
      if (h) out.push(entry(h));
      this.held = { ...w, text: writtenText(this.read(w.source.start, w.source.end)) || w.text };
    }
    return out;
  }

  /** The held entry, if any: no more words of its token will come. */
  flush(): ProtocolWord[] {
    const h = this.held;
    this.held = undefined;
    return h ? [entry(h)] : [];
  }
}

const entry = (w: SpokenWord): ProtocolWord => ({ text: w.text, startMs: w.startMs, endMs: w.endMs });
