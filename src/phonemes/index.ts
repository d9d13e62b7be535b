/**
 * @module
 * Phonemiser: normalised chunk text → espeak-ng-compatible IPA (en-us) → Piper ids.
 */
import type { TextChunk } from "../text";
import { utteranceClauses } from "./clauses";
import { phonemizeClause } from "./g2p";
import { phonemesToIds, type PhonemePiece } from "./ids";

export { BOS, EOS, PAD, PHONEME_ID_MAP } from "./id-map";
export { phonemesToIds } from "./ids";
export { splitClauses, utteranceClauses, type Clause } from "./clauses";

export interface PhonemizedChunk {
  phonemes: string;
  ids: number[];
  /** Per word index of the chunk, the half-open range of `ids` holding its phonemes. */
  wordIds: { word: number; start: number; end: number }[];
}

/**
 * Phonemises one chunk as the training data was: each clause separately, its mark
 * appended (the chunk's last mark always . ? or !), clauses joined by a single space.
 */
export function phonemizeChunk(chunk: TextChunk): PhonemizedChunk {
  const pieces: PhonemePiece[] = [];
  let word = 0;
  for (const clause of utteranceClauses(chunk.text)) {
    if (pieces.length > 0) pieces.push({ text: " ", word: -1 });
    const spoken = phonemizeClause(clause.words);
    spoken.forEach((p, i) => {
      pieces.push({ text: p.phonemes, word: word + i });
      if (i + 1 < spoken.length && p.spaceAfter) pieces.push({ text: " ", word: -1 });
    });
    if (clause.mark) pieces.push({ text: clause.mark, word: -1 });
    word += clause.words.length;
  }
  const { ids, wordIds } = phonemesToIds(pieces);
  return { phonemes: pieces.map((p) => p.text).join(""), ids, wordIds };
}
