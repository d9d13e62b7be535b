/**
 * Bounds the work of one acoustic run: a chunk whose phonemes exceed `maxIds` is cut in two at a word boundary (and
 * each half again if needed), so the acoustic model never sees more than `maxIds` ids, whatever the text. The text
 * front end already keeps chunks to ~200 characters; this is the hard cap for inputs whose characters phonemise into
 * many ids (spelled acronyms: ~5 ids per character). Pure.
 */
import type { TextChunk } from '../text';

/** Phoneme ids of a chunk and, per word index, its half-open range of ids. */
export interface StreamPhonemized {
  ids: number[];
  wordIds: { word: number; start: number; end: number }[];
}

/**
 * Ids per acoustic run at speed 1: above the longest chunk of ordinary prose (~210 ids), far below what strains
 * memory. One acoustic run is one synchronous model call, so its frames (ids / speed) bound how long every other
 * stream of the isolate waits: slower speech gets proportionally fewer ids (runIdCap).
 */
export const MAX_RUN_IDS = 240;

/** The id cap for one run at `speed` (0.5–2): frames per run stay within what MAX_RUN_IDS gives at speed 1. */
export function runIdCap(speed: number, max = MAX_RUN_IDS): number {
  return Math.max(16, Math.round(max * Math.min(1, speed)));
}

export interface StreamRun {
  chunk: TextChunk;
  phonemes: StreamPhonemized;
}

/** `chunk` as one or more runs of at most `maxIds` ids (a single word is never cut: it holds at most 32 letters). */
export function boundedRuns(chunk: TextChunk, phonemize: (chunk: TextChunk) => StreamPhonemized, maxIds = MAX_RUN_IDS): StreamRun[] {
  const phonemes = phonemize(chunk);
  if (phonemes.ids.length <= maxIds || chunk.words.length < 2) return [{ chunk, phonemes }];
  // Cut at the word holding the middle id, so both halves shrink.
  const half = phonemes.ids.length / 2;
  const at = phonemes.wordIds.find((w) => w.end > half)?.word ?? Math.floor(chunk.words.length / 2);
  const k = Math.min(chunk.words.length - 1, Math.max(1, at));
  const [left, right] = splitChunk(chunk, k);
  return [...boundedRuns(left, phonemize, maxIds), ...boundedRuns(right, phonemize, maxIds)];
}

/** The chunk's words [0, k) and [k, end), keeping their clause marks; the left half ends in a comma. */
function splitChunk(chunk: TextChunk, k: number): [TextChunk, TextChunk] {
  const spaced = chunk.text.split(' ');
  // `words[i]` is the i-th space-separated word of `text`; fall back to the bare words should that ever not hold.
  const parts = spaced.length === chunk.words.length ? spaced : chunk.words.map((w) => w.text);
  const leftParts = parts.slice(0, k);
  const last = leftParts[k - 1]!;
  if (!/[,.?!]$/.test(last)) leftParts[k - 1] = `${last},`;
  return [
    { text: leftParts.join(' '), words: chunk.words.slice(0, k) },
    { text: parts.slice(k).join(' '), words: chunk.words.slice(k) },
  ];
}
