/**
 * Word-level cleanup: Latin letters only (accents folded), lower-case (but for
 * the pronoun "I"), with spelling of acronyms. The output alphabet is [a-z'] and
 * "I", so the phonemiser never meets a character espeak would read differently
 * at training time.
 */
import { LETTER_NAMES, WORD_ACRONYMS } from "./tables";

/** Longer "words" (pasted hashes, 5,000-letter strings) are cut into pieces. */
export const MAX_WORD_LENGTH = 32;

const FOLD: Record<string, string> = {
  ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", þ: "th", ð: "d", ı: "i",
};

/**
 * The pronoun "I" and its contractions keep their capital: espeak reads "I" as an
 * unstressed pronoun but "i" as a stressed letter name, and training text has "I".
 */
const PRONOUN_I = /^I(?:['’](?:m|ve|ll|d))?$/;

/** One raw word → zero or more clean words (empty when nothing is speakable). */
export function cleanWord(raw: string): string[] {
  if (PRONOUN_I.test(raw)) return [raw.replace("’", "'")];
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
export function isAcronym(raw: string, shouted: boolean): boolean {
  if (!/^[A-Z]{2,}s?$/.test(raw) || shouted) return false;
  return !WORD_ACRONYMS.has(raw.replace(/s$/, ""));
}

/** Common words that, written in capitals, mark shouting rather than acronyms. */
const SHOUT_WORDS = new Set([
  "THE", "AND", "OF", "TO", "IS", "IN", "ON", "DO", "NOT", "YOU", "FOR", "WITH", "THIS", "THAT",
  "ARE", "BE", "WE", "MY", "ALL", "NO", "AT", "OR", "YOUR", "WILL", "CAN", "HAVE", "HAS", "WAS",
  "DON'T", "STOP", "NOW", "PLEASE", "WARNING", "NEVER", "WHAT", "WHY", "HOW", "GET", "OUT",
]);

/**
 * Whether an all-caps word is shouted: it is a common word in capitals, or a
 * neighbouring word is. Only neighbours count, so streamed text reads the same
 * as whole text ("DO NOT ENTER THE ROOM" vs "HTML and CSS").
 */
export function isShouted(raw: string, prev: string | undefined, next: string | undefined): boolean {
  return SHOUT_WORDS.has(raw) || SHOUT_WORDS.has(prev ?? "") || SHOUT_WORDS.has(next ?? "");
}

export function isCapitalized(raw: string): boolean {
  return /^\p{Lu}/u.test(raw);
}
