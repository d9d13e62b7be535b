/**
 * Word-level cleanup: Latin letters only (accents folded), lower-case, with
 * spelling of acronyms. The output alphabet is [a-z'] so the phonemiser never
 * meets a character espeak would read differently at training time.
 */
import { LETTER_NAMES, WORD_ACRONYMS } from "./tables";

/** Longer "words" (pasted hashes, 5,000-letter strings) are cut into pieces. */
export const MAX_WORD_LENGTH = 32;

const FOLD: Record<string, string> = {
  ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", þ: "th", ð: "d", ı: "i",
};

/** One raw word → zero or more clean words (empty when nothing is speakable). */
export function cleanWord(raw: string): string[] {
  const folded = raw
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđłþðı]/g, (c) => FOLD[c] ?? "")
    .replace(/[’ʼ`]/g, "'")
    .replace(/[^a-z']/g, "")
    .replace(/'{2,}/g, "'")
    .replace(/^'+|'+$/g, "");
  if (folded === "") return [];
  const out: string[] = [];
  for (let i = 0; i < folded.length; i += MAX_WORD_LENGTH) {
    const piece = folded.slice(i, i + MAX_WORD_LENGTH).replace(/^'+|'+$/g, "");
    if (piece) out.push(piece);
  }
  return out;
}

/** Letters read one by one: "HTML" → h t m l, "CEOs" → c e o's. */
export function spellLetters(raw: string): string[] {
  const plural = /[A-Z]s$/.test(raw);
  const letters = (plural ? raw.slice(0, -1) : raw).toLowerCase().replace(/[^a-z]/g, "");
  const words = [...letters].map((c) => LETTER_NAMES[c] ?? c);
  if (plural && words.length > 0) words[words.length - 1] += "'s";
  return words;
}

/** An all-caps token that is an acronym (not a shouted word). */
export function isAcronym(raw: string, shouting: boolean): boolean {
  if (!/^[A-Z]{2,}s?$/.test(raw) || shouting) return false;
  return !WORD_ACRONYMS.has(raw.replace(/s$/, ""));
}

/** Text where most long words are in capitals is shouted, not full of acronyms. */
export function isShouting(words: readonly string[]): boolean {
  const long = words.filter((w) => w.length >= 2);
  const caps = long.filter((w) => /^[A-Z]+$/.test(w)).length;
  return caps >= 3 && caps >= 0.6 * long.length;
}

export function isCapitalized(raw: string): boolean {
  return /^\p{Lu}/u.test(raw);
}
