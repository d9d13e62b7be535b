/**
 * Roman numerals in running text. Only I, V and X count: with L, C, D, M too,
 * acronyms such as CD, MD, DC and LCD would be misread.
 */
import { cardinalWords, ordinalWords } from "./numbers";
import type { RawToken } from "./scan";
import { isCapitalized } from "./words";

/** Capitalised words that start sentences rather than name kings ("The XX"). */
const NOT_NAMES = new Set(["the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from", "is", "was"]);
/** Words after which a Roman numeral is a cardinal ("World War II", "Chapter IV"). */
const ROMAN_CARDINAL_CUES = new Set(["chapter", "part", "volume", "vol", "book", "act", "scene", "war", "phase", "section", "article", "appendix", "episode", "season", "level", "class", "type", "stage", "round", "step"]);
const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10 };

/** "II".."XXXIX" after a cue word or a name: "war two", "louis the fourteenth". */
export function romanReading(raw: string, prev: RawToken | undefined): string[] | null {
  if (!/^(X{0,3})(IX|IV|V?I{0,3})$/.test(raw) || raw.length < 2 || prev?.kind !== "word") return null;
  let value = 0;
  for (let k = 0; k < raw.length; k++) {
    const v = ROMAN_VALUES[raw[k]!]!;
    value += v < (ROMAN_VALUES[raw[k + 1] ?? ""] ?? 0) ? -v : v;
  }
  if (ROMAN_CARDINAL_CUES.has(prev.text.toLowerCase())) return cardinalWords(String(value));
  const name = isCapitalized(prev.text) && !NOT_NAMES.has(prev.text.toLowerCase());
  return name ? ["the", ...ordinalWords(String(value))] : null;
}

