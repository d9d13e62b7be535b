/** A speakable word and the UTF-16 span [start, end) it came from in the original text. */
export interface WordSpan {
  text: string;
  start: number;
  end: number;
}

/**
 * One unit of synthesis. `text` is the normalised text: words separated by single
 * spaces, each clause's punctuation (`,` `.` `?` `!`) glued to its last word.
 * `words[i]` is the i-th space-separated word of `text` (punctuation stripped).
 */
export interface TextChunk {
  text: string;
  words: WordSpan[];
}

/** Clause marks the phonemiser understands; `,` also stands for ; : and dashes. */
export type ClauseMark = "," | "." | "?" | "!";

/** Output of normalisation: speakable words and clause marks, in order. */
export type NormToken =
  | { kind: "word"; text: string; start: number; end: number }
  | { kind: "mark"; mark: ClauseMark; start: number; end: number };

/** The front end's one error: input that is not text at all. */
export function assertString(text: unknown): asserts text is string {
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
}
