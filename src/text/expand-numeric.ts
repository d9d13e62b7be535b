/**
 * Readings of numeric raw tokens: plain numbers (with ordinal, plural, percent
 * suffixes), money, times, dates and fractions. Each returns words only; the
 * caller decides which raw tokens they consume.
 */
import {
  cardinalWords, decimalWords, digitsToWords, fractionWords, ordinalWords, yearWords,
} from "./numbers";
import { CURRENCIES, MONTHS } from "./tables";

/** Plural of a number word: 1990s → nineteen nineties, 6s → sixes, 100s → hundreds. */
function pluralize(words: string[]): string[] {
  if (words.length === 2 && words[0] === "one" && /^(hundred|thousand|million|billion)$/.test(words[1]!)) words = words.slice(1);
  const last = words[words.length - 1]!;
  let p: string;
  if (last.endsWith("y")) p = last.slice(0, -1) + "ies";
  else if (last.endsWith("x")) p = last + "es";
  else p = last + "s";
  return [...words.slice(0, -1), p];
}

export interface NumberContext {
  /** A word before the number says it is a year ("in 1066"); 1100–2099 need no cue. */
  yearCue: boolean;
  /** The number measures something ("2024 km", "1500 dollars"): never a year. */
  measure?: boolean;
  /** The number follows a month name, so 1–31 is a day: "March 3" → march third. */
  afterMonth: boolean;
}

/** Reads "-1,234.5", "21st", "1990s", "50%" (text without suffix, suffix apart). */
export function numberWords(text: string, suffix: string | undefined, ctx: NumberContext): string[] {
  // Thousands separators mark an amount ("1,250 tickets"), never a year.
  const grouped = text.includes(",");
  let body = text.replace(/,/g, "");
  const negative = /^[-−]/.test(body);
  if (negative) body = body.slice(1);
  const [intPart = "", frac = ""] = body.split(".");
  let words: string[];
  const n = Number(intPart);
  const isInt = frac === "" && body.indexOf(".") < 0;
  if (isInt && (suffix === "st" || suffix === "nd" || suffix === "rd" || suffix === "th")) {
    words = ordinalWords(intPart);
  } else if (isInt && ctx.afterMonth && n >= 1 && n <= 31) {
    words = ordinalWords(intPart);
  } else if (isInt && intPart.length === 4 && !grouped && !ctx.measure && (n >= 1100 && n < 2100 || ctx.yearCue && n >= 1000)) {
    words = yearWords(intPart);
  } else if (isInt && intPart.length > 1 && intPart.startsWith("0")) {
    words = digitsToWords(intPart); // "007", zip codes
  } else {
    words = decimalWords(intPart, frac);
  }
  if (suffix === "s") words = pluralize(words);
  if (negative) words = ["minus", ...words];
  if (suffix === "%") words = [...words, "percent"];
  return words;
}

/**
 * Money: "$4.50" → four dollars and fifty cents; with a scale word
 * ("$1.5 million") → one point five million dollars.
 */
export function moneyWords(currency: string, amount: string, scale: string | null): string[] {
  const names = CURRENCIES[currency] ?? CURRENCIES["$"]!;
  const [intPart = "0", frac = ""] = amount.replace(/,/g, "").split(".");
  if (scale) return [...decimalWords(intPart, frac.replace(/0+$/, "")), scale, names[1]];
  const units = intPart.replace(/^0+/, "");
  const cents = frac === "" ? "" : (frac + "0").slice(0, 2).replace(/^0/, "");
  const out: string[] = [];
  if (units !== "" || cents === "" || cents === "0") {
    out.push(...cardinalWords(units || "0"), units === "1" ? names[0] : names[1]);
  }
  if (cents !== "" && cents !== "0") {
    if (out.length > 0) out.push("and");
    out.push(...cardinalWords(cents), cents === "1" ? names[2] : names[3]);
  }
  return out;
}

/** "7:15" → seven fifteen, "7:05" → seven oh five, "7:00" → seven o'clock. */
export function timeWords(text: string, hasMeridiem: boolean): string[] {
  const [h = "0", m = "00", s] = text.split(":");
  const out = cardinalWords(h);
  const mins = Number(m);
  if (mins === 0) {
    if (!hasMeridiem) out.push("o'clock");
  } else if (mins < 10) out.push("oh", ...cardinalWords(m));
  else out.push(...cardinalWords(m));
  if (s !== undefined && Number(s) > 0) out.push("and", ...cardinalWords(s), Number(s) === 1 ? "second" : "seconds");
  return out;
}

/** "2024-03-15", "3/15/2024", "15/3/24": month day year; implausible dates read as numbers. */
export function dateWords(text: string): string[] {
  const parts = text.split(/[\/-]/);
  const [a = "", b = "", c = ""] = parts;
  let y: string, mo: number, d: number;
  if (a.length === 4) [y, mo, d] = [a, Number(b), Number(c)];
  else if (Number(a) > 12) [y, mo, d] = [c, Number(b), Number(a)];
  else [y, mo, d] = [c, Number(a), Number(b)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || (y.length !== 4 && y.length !== 2)) {
    return parts.flatMap((p) => (p.length > 1 && p.startsWith("0") ? digitsToWords(p) : cardinalWords(p)));
  }
  const year = y.length === 4 ? yearWords(y) : Number(y) < 10 ? ["oh", ...cardinalWords(y)] : cardinalWords(y);
  return [MONTHS[mo - 1]!, ...ordinalWords(String(d)), ...year];
}

/** "3/15" as a date (month/day, US order) when it can be one: march fifteenth; else null. */
export function monthDayWords(text: string): string[] | null {
  const [m = "", d = ""] = text.split("/");
  const mo = Number(m);
  const day = Number(d);
  if (!/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d) || mo < 1 || mo > 12 || day < 1 || day > 31) return null;
  return [MONTHS[mo - 1]!, ...ordinalWords(String(day))];
}

/** "1/2" → one half; "24/7" (not a proper fraction) → twenty four seven. */
export function fracWords(text: string): string[] {
  const [num = "0", den = "1"] = text.split("/");
  if (Number(num) >= Number(den) || Number(den) > 100) return [...cardinalWords(num), ...cardinalWords(den)];
  return fractionWords(num, den);
}

/** "(800) 555-1212" → digit by digit; "+44 …" → plus four four …. */
export function phoneWords(text: string): string[] {
  const digits = digitsToWords(text);
  return text.startsWith("+") ? ["plus", ...digits] : digits;
}
