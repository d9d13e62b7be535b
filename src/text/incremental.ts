import { groupChunks } from "./chunk";
import { normalizeText } from "./normalize";
import type { TextChunk } from "./types";

/**
 * Chunks text that arrives in pieces (e.g. from a language model). Each push
 * returns the chunks that can no longer change; `final: true` flushes the rest.
 * Spans refer to the concatenation of every piece pushed so far.
 */
export class IncrementalChunker {
  /** Text not yet emitted; it starts at offset `base` of the whole stream. */
  private pending = "";
  private base = 0;
  private firstDone = false;

  push(text: string, final: boolean): TextChunk[] {
    this.pending += text;
    if (final) {
      const { chunks } = this.plan(this.pending);
      this.base += this.pending.length;
      this.pending = "";
      this.firstDone = false; // the next push starts a new utterance
      return chunks;
    }
    // Only whole words are safe: the piece may end mid-word ("hel" + "lo").
    const cut = lastWhitespace(this.pending);
    if (cut <= 0) return [];
    const { chunks, tailOpen } = this.plan(this.pending.slice(0, cut));
    // An open last chunk may still grow. Everything before it is settled:
    // chunking is greedy and normalisation looks at most one word ahead.
    const ready = tailOpen ? chunks.slice(0, -1) : chunks;
    if (ready.length === 0) return [];
    const next = chunks[ready.length];
    // Keep from the next unsent word (marks after the sent words are spent).
    const keepFrom = next ? next.words[0]!.start - this.base : cut;
    this.pending = this.pending.slice(keepFrom);
    this.base += keepFrom;
    this.firstDone = true;
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
