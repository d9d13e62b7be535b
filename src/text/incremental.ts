import { groupChunks } from "./chunk";
import { normalizeText } from "./normalize";
import { assertString, type TextChunk } from "./types";

/** Past this much pending text, cut at any emitted chunk (bounds re-reading cost). */
const MAX_PENDING = 2000;

/**
 * Chunks text that arrives in pieces (e.g. from a language model). Each push
 * returns the chunks that can no longer change; `final: true` flushes the rest
 * and starts a new utterance. Spans refer to the concatenation of all pieces.
 *
 * The pending text is re-read on every push from the last emitted sentence end,
 * so numbers keep their left context ("March 3, 2024") and a chunk is released
 * only when one more whole word follows it (readings look one word ahead:
 * "Dr. Smith", "5 km", "3 pm").
 */
export class IncrementalChunker {
  private pending = "";
  /** Offset of `pending` in the whole stream. */
  private base = 0;
  /** Chunks of `pending` already emitted. */
  private skip = 0;
  /** Whether the short first chunk was emitted before `pending` starts. */
  private firstDone = false;

  /** @throws TypeError when `text` is not a string. */
  push(text: string, final: boolean): TextChunk[] {
    assertString(text);
    this.pending += text;
    if (final) {
      const out = this.plan(this.pending).chunks.slice(this.skip);
      this.base += this.pending.length;
      this.pending = "";
      this.skip = 0;
      this.firstDone = false;
      return out;
    }
    const complete = this.pending.slice(0, lastWhitespace(this.pending));
    const lookahead = lastRunStart(complete); // last whole word: context only
    const { chunks, tailOpen } = this.plan(complete);
    const closed = tailOpen ? chunks.slice(0, -1) : chunks;
    const ready: TextChunk[] = [];
    for (const c of closed.slice(this.skip)) {
      if (c.words[c.words.length - 1]!.end - this.base > lookahead) break;
      ready.push(c);
    }
    if (ready.length === 0) return [];
    this.skip += ready.length;
    const last = ready[ready.length - 1]!;
    if (/[.?!]$/.test(last.text) || this.pending.length > MAX_PENDING) {
      const next = chunks[this.skip];
      const cut = next ? next.words[0]!.start - this.base : complete.length;
      this.pending = this.pending.slice(cut);
      this.base += cut;
      this.skip = 0;
      this.firstDone = true;
    }
    return ready;
  }

  private plan(text: string): { chunks: TextChunk[]; tailOpen: boolean } {
    const { chunks, tailOpen } = groupChunks(normalizeText(text), undefined, this.firstDone);
    const shifted = chunks.map((c) => ({
      text: c.text,
      words: c.words.map((w) => ({ text: w.text, start: w.start + this.base, end: w.end + this.base })),
    }));
    return { chunks: shifted, tailOpen };
  }
}

/** Index just past the last whitespace character, or 0 when there is none. */
function lastWhitespace(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) if (/\s/.test(s[i]!)) return i + 1;
  return 0;
}

/**
 * Start of the last whitespace-delimited run of `s` that holds a letter or digit,
 * or 0. Runs of only marks, emoji or control characters give no word to look
 * ahead with ("Dr. \u0000 St." must still see "St").
 */
function lastRunStart(s: string): number {
  const runs = [...s.matchAll(/\S+/gu)];
  for (let k = runs.length - 1; k >= 0; k--) if (/[\p{L}\p{N}]/u.test(runs[k]![0])) return runs[k]!.index!;
  return 0;
}
