/**
 * Clause-level G2P reproducing `espeak-ng -q --ipa -v en-us "<clause>"`: each
 * word's base form, adjusted for its place in the clause (espeak unstresses
 * function words, says "the" as ðɪ before vowels, flaps "it" before vowels,
 * links a final ɚ to a next vowel) and fused with its neighbours where espeak
 * has a multi-word entry ("of the" → ʌvðə). Mirrors tools/g2p/context.py.
 */
import { baseForm, contextFormsOf, fusedFormsOf } from "./lexicon";

/** One word's phonemes inside a clause; `spaceAfter` is false where espeak fuses words. */
export interface WordPhonemes {
  phonemes: string;
  spaceAfter: boolean;
}

const VOWELS = new Set([..."aeiouæɑɐɒɔəɚɛɜɪʊʌᵻ"]);
const MAX_GROUP = 3;

/** V: starts with a vowel, C: with a consonant, E: no next word. */
function initialClass(ipa: string | undefined): string {
  if (ipa === undefined) return "E";
  for (const ch of ipa) if (ch !== "ˈ" && ch !== "ˌ") return VOWELS.has(ch) ? "V" : "C";
  return "C";
}

/** Next words before which espeak does not link r. */
const NO_LINK = new Set(["and", "or", "if"]);

/** espeak links a final ɚ to a next vowel ("killer of" → kˈɪlɚɹ ʌv), except before and/or/if. */
function linkR(ipa: string, nxt: string, nextWord: string | undefined): string {
  return nxt === "V" && ipa.endsWith("ɚ") && !NO_LINK.has(nextWord ?? "") ? ipa + "ɹ" : ipa;
}

/**
 * A word's form in the clause: the learned form for its position and next-word
 * class, refined by the previous ("MV|it") or next word ("MV>it") where espeak
 * depends on it, else its base form.
 */
function wordForm(words: readonly string[], bases: readonly string[], i: number): string {
  const n = words.length;
  const nxt = initialClass(bases[i + 1]);
  const key = (i === n - 1 ? "F" : i === 0 ? "B" : "M") + nxt;
  if (n === 1) return bases[i]!; // a one-word clause is the word said alone
  const forms = contextFormsOf(words[i]!);
  const form =
    forms?.get(`${key}|${i > 0 ? words[i - 1] : "#"}`) ??
    forms?.get(`${key}>${words[i + 1] ?? "#"}`) ??
    forms?.get(key) ??
    forms?.get("*");
  // "=" (or no entry): the base form, as said alone, with linking r.
  return form === undefined || form === "=" ? linkR(bases[i]!, nxt, words[i + 1]) : form;
}

export function phonemizeClause(words: readonly string[]): WordPhonemes[] {
  const n = words.length;
  const bases = words.map(baseForm);
  const out: WordPhonemes[] = [];
  for (let i = 0; i < n; ) {
    let fusedLen = 0;
    for (let k = Math.min(MAX_GROUP, n - i); k >= 2 && fusedLen === 0; k--) {
      const forms = fusedFormsOf(words.slice(i, i + k).join(" "));
      const form = forms?.get(initialClass(bases[i + k]));
      // "!prev" marks previous words after which espeak does not fuse ("most of the").
      if (form === undefined || forms!.has(`!${i > 0 ? words[i - 1] : "#"}`)) continue;
      const parts = form.split("|");
      parts.forEach((p, j) => out.push({ phonemes: p, spaceAfter: j === parts.length - 1 }));
      fusedLen = k;
    }
    if (fusedLen > 0) {
      i += fusedLen;
      continue;
    }
    out.push({ phonemes: wordForm(words, bases, i), spaceAfter: true });
    i++;
  }
  promoteStress(out);
  return out;
}

/** espeak gives every clause a primary stress: with none, the first secondary becomes primary. */
function promoteStress(out: WordPhonemes[]): void {
  if (out.some((w) => w.phonemes.includes("ˈ"))) return;
  const first = out.find((w) => w.phonemes.includes("ˌ"));
  if (first) first.phonemes = first.phonemes.replace("ˌ", "ˈ");
}
