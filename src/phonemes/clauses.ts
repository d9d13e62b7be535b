/** One clause of a chunk's normalised text: its words and the mark after it ("" for none). */
export interface Clause {
  words: string[];
  mark: string;
}

/**
 * Splits chunk text ("hello world, the three cats.") into the clauses the
 * training contract phonemises one by one. A mark with no words before it is
 * silent. planChunks gives [a-z'] words (and "I") already; other text is cleaned the same way.
 */
export function splitClauses(text: string): Clause[] {
  const out: Clause[] = [];
  let words: string[] = [];
  for (const token of text.split(" ")) {
    const m = /^(.*?)([,.?!]*)$/u.exec(token)!;
    if (m[1]) words.push(/^I(?:'[a-z]+)?$/.test(m[1]) ? m[1] : m[1].toLowerCase().replace(/[^a-z']/g, ""));
    if (m[2] && words.length > 0) {
      out.push({ words, mark: m[2].slice(-1) });
      words = [];
    }
  }
  if (words.length > 0) out.push({ words, mark: "" });
  return out;
}

/**
 * Clauses of one utterance as the model was trained on them (distill/phonemize.py):
 * the last clause always ends in . ? or ! — a final "," or a missing mark becomes ".".
 */
export function utteranceClauses(text: string): Clause[] {
  const clauses = splitClauses(text);
  const last = clauses[clauses.length - 1];
  if (last && (last.mark === "," || last.mark === "")) last.mark = ".";
  return clauses;
}
