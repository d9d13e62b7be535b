/** One word's phonemes inside a clause; `spaceAfter` is false where espeak fuses words. */
export interface WordPhonemes {
  phonemes: string;
  spaceAfter: boolean;
}

/** Stub G2P: lower-case letters (all of which are valid Piper symbols). */
export function phonemizeClause(words: readonly string[]): WordPhonemes[] {
  return words.map((w) => ({ phonemes: w.toLowerCase().replace(/[^a-z]/g, ""), spaceAfter: true }));
}
