/**
 * Numeric tokens with their neighbours: units ("5 km"), currencies ("12 €",
 * "$5 million"), meridiems ("3 pm", "7:15 a.m."), days before months ("3 March").
 */
import { dateWords, fracWords, monthDayWords, moneyWords, numberWords, phoneWords, timeWords } from "./expand-numeric";
import type { Expander } from "./normalize";
import type { RawToken } from "./scan";
import { CURRENCIES, GLUED_SCALES, MONTHS, SCALE_WORDS, UNITS, VULGAR_FRACTIONS } from "./tables";
import { isCapitalized, spellLetters } from "./words";

/**
 * Words after which "m/d" is a date ("on 3/15"), when its day could not be a common fraction's denominator (above
 * 12), so "by 1/4" and "on 1/2 of them" stay fractions.
 */
const DATE_CUES = new Set(["on", "until", "till", "since", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);

/** Words before a number that make a glued letter a label ("Room 3B", "Gate 12A"), never a scale ("3B users"). */
const LABELS = new Set(["room", "apt", "apartment", "suite", "unit", "flat", "gate", "seat", "row", "platform", "floor", "building", "block", "level", "terminal", "bay", "stand"]);

/** Single letters that are units only when glued to the number ("5V", not "5 V"). */
const GLUED_ONLY = new Set(["A", "V", "W", "L", "b", "k", "m"]);

/**
 * A meridiem after token i: returns its letters and how many tokens it takes. `dotted`: written "a.m.", whose last
 * period may also end the sentence.
 */
function meridiem(ex: Expander, i: number): { words: string[]; take: number; dotted: boolean } | null {
  const t = ex.at(i);
  if (!t) return null;
  const key = t.text.replace(/\./g, "").toLowerCase();
  if ((t.kind === "word" || t.kind === "dotted") && (key === "am" || key === "pm")) {
    // "a" alone would be read as the article; "eh" is how espeak says the letter.
    return { words: [key === "am" ? "eh" : "p", "m"], take: 1, dotted: t.kind === "dotted" };
  }
  return null;
}

/** A unit word (or ° C) after token i, in the case the table expects. */
function unitAt(ex: Expander, i: number): { names: [string, string]; take: number } | null {
  const t = ex.at(i);
  if (!t) return null;
  if (t.kind === "sym" && t.text === "°") {
    const cf = ex.at(i + 1);
    if (cf?.kind === "word" && !cf.spaced && (cf.text === "C" || cf.text === "F")) return { names: UNITS["°" + cf.text]!, take: 2 };
    return { names: UNITS["°"]!, take: 1 };
  }
  if (t.kind !== "word" || (t.spaced && GLUED_ONLY.has(t.text))) return null;
  const names = UNITS[t.text];
  if (!names) return null;
  const slash = ex.at(i + 1);
  const per = ex.at(i + 2);
  if (slash?.text === "/" && !slash.spaced && per && !per.spaced && UNITS[per.text]) {
    return { names: [`${names[0]} per ${UNITS[per.text]![0]}`, `${names[1]} per ${UNITS[per.text]![0]}`], take: 3 };
  }
  return { names, take: 1 };
}

/** Reads the numeric token at i (num, money, time, date, frac); returns tokens consumed. */
export function readNumber(ex: Expander, i: number, t: RawToken): number {
  const next = ex.at(i + 1);
  if (t.kind === "date") return say(ex, dateWords(t.text), t, t, 1);
  if (t.kind === "phone") return say(ex, phoneWords(t.text), t, t, 1);
  if (t.kind === "frac") {
    const vulgar = VULGAR_FRACTIONS[t.text];
    const [, den = ""] = t.text.split("/");
    const date = !vulgar && Number(den) > 12 && DATE_CUES.has(ex.wordAt(i - 1)?.toLowerCase() ?? "") ? monthDayWords(t.text) : null;
    if (date) return say(ex, date, t, t, 1);
    // "2½", "2 1/2" → two and one half
    const prev = ex.at(i - 1);
    const whole = prev?.kind === "num" && prev.suffix === undefined && /^\d{1,3}$/.test(prev.text);
    const and = whole && (vulgar ? !t.spaced : t.spaced && isProperFraction(t.text)) ? ["and"] : [];
    return say(ex, [...and, ...fracWords(vulgar ?? t.text)], t, t, 1);
  }
  if (t.kind === "time") {
    const m = meridiem(ex, i + 1);
    const words = timeWords(t.text, m !== null);
    return m ? sayMeridiem(ex, i, words, m) : say(ex, words, t, t, 1);
  }
  if (t.kind === "money") {
    const currency = t.text[0]!;
    const amount = t.text.slice(1).trim();
    const scale = next?.kind === "word" ? SCALE_WORDS[next.text.toLowerCase()] : undefined;
    const scaleOk = scale !== undefined && (!next!.spaced || next!.text.length > 2);
    return scaleOk ? say(ex, moneyWords(currency, amount, scale), t, next!, 2) : say(ex, moneyWords(currency, amount, null), t, t, 1);
  }
  // Plain number, possibly followed by a currency, meridiem, unit or month.
  const isInt = /^[-−]?[\d,]+$/.test(t.text) && t.suffix === undefined;
  // "12 €", "12.50 EUR" ("5 $" is too rare to be worth misreading "5 $5").
  const amount = t.suffix === undefined && /^[\d,]+(?:\.\d+)?$/.test(t.text);
  if (amount && (next?.kind === "sym" || next?.kind === "word") && CURRENCIES[next.text] && next.text !== "$") {
    return say(ex, moneyWords(next.text, t.text, null), t, next, 2);
  }
  // "Room 3B", "Gate 12A": a label's letter, not a scale or a unit.
  if (next?.kind === "word" && !next.spaced && /^\p{L}$/u.test(next.text) && t.suffix === undefined && labelBefore(ex, i)) {
    return say(ex, [...numberWords(t.text, undefined, { yearCue: false, afterMonth: false, measure: true }), ...spellLetters(next.text.toUpperCase())], t, next, 2);
  }
  const glued = next?.kind === "word" && !next.spaced && t.suffix === undefined ? GLUED_SCALES[next.text] : undefined;
  if (glued) return say(ex, [...numberWords(t.text, undefined, { yearCue: false, afterMonth: false, measure: true }), glued], t, next!, 2);
  const n = Number(t.text.replace(/,/g, ""));
  const m = isInt && n >= 1 && n <= 12 ? meridiem(ex, i + 1) : null;
  if (m) return sayMeridiem(ex, i, numberWords(t.text, undefined, ex.numberCues(i)), m);
  const unit = t.suffix === undefined ? unitAt(ex, i + 1) : null;
  if (unit) {
    const one = /^[-−]?1$/.test(t.text);
    const words = [...numberWords(t.text, undefined, { ...ex.numberCues(i), measure: true }), ...unit.names[one ? 0 : 1].split(" ")];
    return say(ex, words, t, ex.at(i + unit.take)!, 1 + unit.take);
  }
  const cues = ex.numberCues(i);
  if (isInt && n >= 1 && n <= 31 && next?.kind === "word" && MONTHS.includes(next.text.toLowerCase()) && isCapitalized(next.text)) {
    return say(ex, [...numberWords(t.text, "th", cues), "of"], t, t, 1);
  }
  return say(ex, numberWords(t.text, t.suffix, cues), t, t, 1);
}

/** A label word before the number at i, also abbreviated with a period ("Apt. 4B"). */
function labelBefore(ex: Expander, i: number): boolean {
  const prev = ex.at(i - 1);
  const word = prev?.kind === "mark" && prev.text === "." ? ex.wordAt(i - 2) : ex.wordAt(i - 1);
  return LABELS.has(word?.toLowerCase() ?? "");
}

/** "3/4" is below one: a part of a whole, which can follow a whole number ("2 3/4"). */
function isProperFraction(text: string): boolean {
  const [num = "", den = ""] = text.split("/");
  return Number(num) < Number(den) && Number(den) <= 100;
}

/** The number at i, then its meridiem; "7 p.m. Then" ends a sentence at the meridiem's last period. */
function sayMeridiem(ex: Expander, i: number, words: string[], m: { words: string[]; take: number; dotted: boolean }): number {
  const last = ex.at(i + m.take)!;
  say(ex, [...words, ...m.words], ex.at(i)!, last, 1 + m.take);
  if (m.dotted && ex.endsSentence(i + m.take)) ex.mark(".", last.end - 1, last.end);
  return 1 + m.take;
}

/** Emits `words` spanning from token `first` to token `last`; returns `take`. */
function say(ex: Expander, words: string[], first: RawToken, last: RawToken, take: number): number {
  ex.words(words, first.start, last.end);
  return take;
}
