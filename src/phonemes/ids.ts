import { BOS, EOS, PAD, PHONEME_ID_MAP } from "./id-map";

/** A phoneme string split into pieces, each owned by a word (or by no word: -1). */
export interface PhonemePiece {
  text: string;
  word: number;
}

/**
 * Piper's id layout: `[^, _, p1, _, p2, _, ..., pn, _, $]`, one id per codepoint.
 * Returns the ids and, per word, the half-open id range covering its phonemes
 * (each phoneme together with the pad that follows it).
 */
export function phonemesToIds(pieces: readonly PhonemePiece[]): {
  ids: number[];
  wordIds: { word: number; start: number; end: number }[];
} {
  const ids: number[] = [BOS, PAD];
  const wordIds: { word: number; start: number; end: number }[] = [];
  for (const piece of pieces) {
    const start = ids.length;
    for (const ch of piece.text) {
      const id = PHONEME_ID_MAP.get(ch);
      if (id === undefined) continue; // unknown symbols are dropped, as Piper does
      ids.push(id, PAD);
    }
    if (piece.word >= 0) wordIds.push({ word: piece.word, start, end: ids.length });
  }
  ids.push(EOS);
  return { ids, wordIds };
}
