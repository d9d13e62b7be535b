/**
 * Word timings per written token: the synthesizer times every spoken word, but "$3.50" is spoken as four words and
 * "bob@example.org" as five, and a client highlighting text wants each token once. Pure.
 */
import type { ProtocolWord } from '../protocol';

/** A spoken word and the span [start, end) of the written token it was read from (shared by all its words). */
export interface SpokenWord extends ProtocolWord {
  source: { start: number; end: number };
}

/**
 * Merges consecutive spoken words of one written token into one entry, from its first word's start to its last
 * word's end, with the token's text. A token's entry is held back until a word of another token arrives, since its
 * reading may go on in the next acoustic run; `flush` releases it (end of the request, or the text source waiting).
 */
export class WrittenWords {
  private held: SpokenWord | undefined;

  /** Entries of tokens that are now complete, in order. */
  push(words: readonly SpokenWord[]): ProtocolWord[] {
    const out: ProtocolWord[] = [];
    for (const w of words) {
      const h = this.held;
      if (h && h.source.start === w.source.start && h.source.end === w.source.end) {
        this.held = { ...h, endMs: Math.max(h.endMs, w.endMs) };
        continue;
      }
      if (h) out.push(entry(h));
      this.held = w;
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
