import type { ClauseMark, NormToken, TextChunk, WordSpan } from "./types";

/** Chunk sizing, in words (and a bound in characters, which also holds inside one source token's reading). */
export interface ChunkOptions {
  /** First chunk closes at any clause mark, or at a conjunction once this long. @default 10 */
  firstSoft: number;
  /** First chunk is cut here even without a mark, so audio starts early. @default 20 */
  firstHard: number;
  /** Later chunks close at a clause mark (`,`) only once this long. @default 16 */
  laterSoft: number;
  /** Later chunks are cut here even without a mark. @default 40 */
  laterHard: number;
  /**
   * Longest chunk text in characters, cut even inside one source token's reading (5,000 digits, a long URL, a
   * 5,000-letter word already cut into 32-letter pieces). Bounds the phonemes, and so the frames and model memory, of
   * one acoustic run: about 2.3 ids per character at worst, so 200 characters stay under ~470 ids. @default 200
   */
  maxChars: number;
}

// Every cut is spoken as the end of an utterance: a pause of ~0.2 s and a falling pitch. With 4/10/12, 40 of 40
// evaluation sentences of 10-18 words were cut, 31 of them where the text has no comma ("a slightly, | different
// shade"); with 10/20/16, 10 are, 9 at a comma. A 20-word first chunk costs ~60 ms of acoustic model (warm, wasm),
// and most first sentences close at a comma or end well before that.
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = {
  firstSoft: 10,
  firstHard: 20,
  laterSoft: 16,
  laterHard: 40,
  maxChars: 200,
};

/** Words before which a long clause may be cut without sounding wrong. */
const CONJUNCTIONS = new Set([
  "and", "but", "or", "nor", "so", "yet", "because", "although", "though",
  "while", "whereas", "unless", "which", "who", "whom", "whose", "where", "when",
  "if", "then", "that",
]);

/** Words that start a phrase: a forced cut goes before the last of these, if any. */
const PHRASE_STARTS = new Set([
  ...CONJUNCTIONS, "in", "on", "at", "by", "for", "with", "from", "into", "onto", "about",
  "after", "before", "during", "over", "under", "through", "without", "between", "like",
]);

const RANK: Record<ClauseMark, number> = { ",": 0, ".": 1, "!": 2, "?": 3 };

/**
 * Groups normalised tokens into chunks. Greedy and left-to-right: whether a chunk
 * ends depends only on the tokens up to one word past its end, so a prefix of the
 * text always gets the same leading chunks (IncrementalChunker relies on this).
 * `firstDone` says an earlier call already produced the short first chunk.
 */
export function groupChunks(
  tokens: readonly NormToken[],
  opts: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
  firstDone = false,
): { chunks: TextChunk[]; tailOpen: boolean } {
  const chunks: TextChunk[] = [];
  let words: WordSpan[] = [];
  let parts: string[] = [];
  /** Length of `parts.join(" ")`. */
  let chars = 0;
  const close = (mark: ClauseMark | null): void => {
    if (words.length === 0) return;
    if (mark !== null) parts[parts.length - 1] += mark;
    chunks.push({ text: parts.join(" "), words });
    words = [];
    parts = [];
    chars = 0;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const first = !firstDone && chunks.length === 0;
    const soft = first ? opts.firstSoft : opts.laterSoft;
    const hard = first ? opts.firstHard : opts.laterHard;
    if (tok.kind === "mark") {
      if (words.length === 0) continue; // a mark with no words before it is silent
      // Runs such as "?!" or "...," collapse to their strongest mark.
      let mark = tok.mark;
      while (i + 1 < tokens.length && tokens[i + 1]!.kind === "mark") {
        const next = (tokens[++i] as { mark: ClauseMark }).mark;
        if (RANK[next] > RANK[mark]) mark = next;
      }
      if (mark !== "," || first || words.length >= soft) close(mark);
      else {
        parts[parts.length - 1] += ",";
        chars++;
      }
      continue;
    }
    // Never cut inside one source token's reading ("four dollars and fifty cents").
    const prev = words[words.length - 1];
    const cuttable = prev !== undefined && prev.start !== tok.start;
    const full = words.length > 0 && chars + 1 + tok.text.length > opts.maxChars;
    if (cuttable && words.length >= soft && CONJUNCTIONS.has(tok.text)) close(",");
    else if (cuttable && (words.length >= hard || full)) {
      // Cut before the last phrase start if there is one ("melted, by the end of"),
      // carrying the words after it into the next chunk; else cut here.
      const at = lastPhraseStart(words, soft);
      const carryWords = words.slice(at);
      const carryParts = parts.slice(at);
      words = words.slice(0, at);
      parts = parts.slice(0, at);
      close(",");
      words = carryWords;
      parts = carryParts;
      chars = joinedLength(parts);
      // The carried words plus this one may still be too long (long pieces of one token): cut before this word.
      if (words.length > 0 && chars + 1 + tok.text.length > opts.maxChars) close(",");
    } else if (words.length >= hard * 4 || full) close(","); // one token read as very many words
    chars += (words.length > 0 ? 1 : 0) + tok.text.length;
    words.push({ text: tok.text, start: tok.start, end: tok.end });
    parts.push(tok.text);
  }
  // The last chunk is "open" when the text ran out before a mark closed it:
  // streamed input may still add words to it.
  const tailOpen = words.length > 0;
  close(null);
  return { chunks, tailOpen };
}

function joinedLength(parts: readonly string[]): number {
  return parts.reduce((n, p) => n + p.length, Math.max(0, parts.length - 1));
}

/** Index of the last word at or after `min` that starts a phrase and a source token, else the end. */
function lastPhraseStart(words: readonly WordSpan[], min: number): number {
  for (let j = words.length - 1; j >= Math.max(min, 1); j--) {
    if (PHRASE_STARTS.has(words[j]!.text) && words[j]!.start !== words[j - 1]!.start) return j;
  }
  return words.length;
}
