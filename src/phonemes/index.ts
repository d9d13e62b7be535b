/**
 * @module
 * Phonemiser: normalised chunk text → espeak-ng-compatible IPA (en-us) → Piper ids.
 */
import type { TextChunk } from "../text";
import { phonemizeClause } from "./g2p";
import { phonemesToIds, type PhonemePiece } from "./ids";

export { BOS, EOS, PAD, PHONEME_ID_MAP } from "./id-map";
export { phonemesToIds } from "./ids";

export interface PhonemizedChunk {
  phonemes: string;
  ids: number[];
  /** Per word index of the chunk, the half-open range of `ids` holding its phonemes. */
  wordIds: { word: number; start: number; end: number }[];
}

/**
 * Phonemises one chunk as the training data was: each clause separately, its mark
 * appended, clauses joined by a single space.
 */
export function phonemizeChunk(chunk: TextChunk): PhonemizedChunk {
  const pieces: PhonemePiece[] = [];
  let clause: string[] = [];
  let wordIndex = 0;
  const flush = (mark: string): void => {
    if (clause.length === 0) return;
    if (pieces.length > 0) pieces.push({ text: " ", word: -1 });
    const first = wordIndex - clause.length;
    const spoken = phonemizeClause(clause);
    spoken.forEach((p, i) => {
      pieces.push({ text: p.phonemes, word: first + i });
      if (i + 1 < spoken.length && p.spaceAfter) pieces.push({ text: " ", word: -1 });
    });
    if (mark) pieces.push({ text: mark, word: -1 });
    clause = [];
  };
  for (const token of chunk.text.split(" ")) {
    const m = /^(.*?)([,.?!]*)$/u.exec(token)!;
    if (m[1]) {
      // planChunks already gives [a-z'] words; hand-made chunks are cleaned the same way.
      clause.push(m[1].toLowerCase().replace(/[^a-z']/g, ""));
      wordIndex++;
    }
    if (m[2]) flush(m[2].slice(-1));
  }
  flush("");
  const { ids, wordIds } = phonemesToIds(pieces);
  return { phonemes: pieces.map((p) => p.text).join(""), ids, wordIds };
}
