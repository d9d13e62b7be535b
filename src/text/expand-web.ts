/**
 * URLs and e-mail addresses read the way people say them:
 * "https://www.example.com/a-b" → w w w dot example dot com slash a dash b.
 */
import { cardinalWords, digitsToWords } from "./numbers";
import { cleanWord, spellLetters } from "./words";

const SEPARATORS: Record<string, string> = {
  ".": "dot", "/": "slash", ":": "colon", "-": "dash", "_": "underscore",
  "@": "at", "?": "question mark", "=": "equals", "&": "and", "#": "hash", "~": "tilde",
  "+": "plus", "%": "percent",
};

/** A piece of letters or digits: a word if it has a vowel, else spelled ("www"). */
function pieceWords(piece: string): string[] {
  if (/^\d+$/.test(piece)) return piece.length > 4 ? digitsToWords(piece) : cardinalWords(piece);
  if (!/[aeiouy]/i.test(piece) || piece.length === 1) return spellLetters(piece.toUpperCase());
  return cleanWord(piece);
}

export function webWords(text: string, kind: "url" | "email"): string[] {
  const body = kind === "url" ? text.replace(/^https?:\/\//i, "").replace(/\/$/, "") : text;
  const out: string[] = [];
  for (const part of body.split(/([./:\-_@?=&#~+%])/)) {
    if (part === "") continue;
    const sep = SEPARATORS[part];
    if (sep !== undefined) out.push(...sep.split(" "));
    else for (const sub of part.split(/(?<=\D)(?=\d)|(?<=\d)(?=\D)/)) out.push(...pieceWords(sub));
  }
  return out;
}
