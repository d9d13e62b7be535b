/**
 * Word pronunciations: espeak-ng's isolated-word IPA for the words the
 * letter-to-sound rules get wrong, else the rules' prediction. Tables are parsed
 * on first use so a Worker isolate that never phonemises pays nothing at start.
 */
import { CONTEXT_FORMS } from "./data/context";
import { FUSED_GROUPS } from "./data/fused";
import { LEXICON } from "./data/lexicon";
import { letterToSound } from "./lts";

/**
 * Forms keyed by context. In-clause forms: position (B/M/F) + next-word class
 * (V/C/E), optionally "|prev word" or ">next word", or "*". Fused groups: the
 * next-word class, or "!prev word" where the group is not fused.
 */
export type KeyedForms = ReadonlyMap<string, string>;

let lexicon: Map<string, string> | undefined;
let contextForms: Map<string, KeyedForms> | undefined;
let fusedGroups: Map<string, KeyedForms> | undefined;
const cache = new Map<string, string>();
const CACHE_LIMIT = 20_000;

function parseLines(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) m.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return m;
}

function parseKeyed(text: string): Map<string, KeyedForms> {
  const out = new Map<string, KeyedForms>();
  for (const [word, entries] of parseLines(text)) {
    const m = new Map<string, string>();
    for (const e of entries.split(" ")) {
      const eq = e.indexOf("=");
      if (eq > 0) m.set(e.slice(0, eq), e.slice(eq + 1));
    }
    out.set(word, m);
  }
  return out;
}

/** Words espeak cannot pronounce as written and spells instead ("kbd", "xkcd"). */
const NO_VOWEL = /^[bcdfghjklmnpqrstvwxz]{2,}$/;

/**
 * Letter names run together as espeak spells: secondary stress on all but the
 * last, and a linking r after "r" before a vowel ("rm" → ˌɑːɹɹˈɛm).
 */
export function spellOut(word: string, letterName: (letter: string) => string): string {
  const names = [...word].map((c) => letterName(c).replace(/ˈ/g, "ˌ"));
  let out = "";
  names.forEach((name, i) => {
    if (i > 0 && out.endsWith("ɹ") && /^[ˌ]?[aeiouæɑɐɔəɚɛɜɪʊʌ]/.test(name)) out += "ɹ";
    out += i === names.length - 1 ? name.replace(/ˌ/, "ˈ") : name;
  });
  return out;
}

/** espeak's pronunciation of the word said alone (lexicon, else rules). */
export function baseForm(word: string): string {
  const known = (lexicon ??= parseLines(LEXICON)).get(word);
  if (known !== undefined) return known;
  let got = cache.get(word);
  if (got === undefined) {
    got = NO_VOWEL.test(word) ? spellOut(word, (w) => lexicon!.get(w) ?? letterToSound(w)) : letterToSound(word);
    if (cache.size >= CACHE_LIMIT) cache.clear(); // bounded: arbitrary user words
    cache.set(word, got);
  }
  return got;
}

export function contextFormsOf(word: string): KeyedForms | undefined {
  return (contextForms ??= parseKeyed(CONTEXT_FORMS)).get(word);
}

/** Fused forms of a word group ("of the"), parts separated by "|". */
export function fusedFormsOf(group: string): KeyedForms | undefined {
  return (fusedGroups ??= parseKeyed(FUSED_GROUPS)).get(group);
}
