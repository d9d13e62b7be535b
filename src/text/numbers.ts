/**
 * Numbers to English words. Everything works on digit strings, not JS numbers, so
 * 30-digit amounts neither lose precision nor switch to exponent notation.
 * Words come back as arrays (never hyphenated) because each becomes one WordSpan.
 */

const ONES = [
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES = [
  "", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion",
  "sextillion", "septillion", "octillion", "nonillion", "decillion",
];
const ORDINAL_IRREGULAR: Record<string, string> = {
  one: "first", two: "second", three: "third", five: "fifth", eight: "eighth",
  nine: "ninth", twelve: "twelfth",
};

/** Longest integer read as a cardinal; longer digit runs are read digit by digit. */
export const MAX_CARDINAL_DIGITS = SCALES.length * 3;

function below100(n: number): string[] {
  if (n < 20) return [ONES[n]!];
  const t = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? [t] : [t, ONES[n % 10]!];
}

function below1000(n: number): string[] {
  if (n < 100) return below100(n);
  const rest = n % 100;
  const head = [ONES[Math.floor(n / 100)]!, "hundred"];
  return rest === 0 ? head : [...head, ...below100(rest)];
}

/** Each digit as a word: "007" → zero zero seven. */
export function digitsToWords(digits: string): string[] {
  return [...digits].filter((d) => d >= "0" && d <= "9").map((d) => ONES[Number(d)]!);
}

/** Cardinal reading of a non-negative integer given as digits. */
export function cardinalWords(digits: string): string[] {
  const clean = digits.replace(/^0+(?=\d)/, "");
  if (clean.length > MAX_CARDINAL_DIGITS) return digitsToWords(digits);
  const n = clean.length;
  const out: string[] = [];
  for (let g = Math.ceil(n / 3) - 1; g >= 0; g--) {
    const hi = n - g * 3;
    const group = Number(clean.slice(Math.max(0, hi - 3), hi));
    if (group === 0) continue;
    out.push(...below1000(group));
    if (g > 0) out.push(SCALES[g]!);
  }
  return out.length > 0 ? out : ["zero"];
}

/** Turns the last word of a cardinal reading into its ordinal. */
export function toOrdinal(words: string[]): string[] {
  const last = words[words.length - 1]!;
  let ord: string;
  if (ORDINAL_IRREGULAR[last]) ord = ORDINAL_IRREGULAR[last]!;
  else if (last.endsWith("y")) ord = last.slice(0, -1) + "ieth";
  else ord = last + "th";
  return [...words.slice(0, -1), ord];
}

export function ordinalWords(digits: string): string[] {
  return toOrdinal(cardinalWords(digits));
}

/** "3.14" → three point one four; the integer part is read as a cardinal. */
export function decimalWords(intPart: string, fracPart: string): string[] {
  const head = intPart === "" ? ["zero"] : cardinalWords(intPart);
  return fracPart === "" ? head : [...head, "point", ...digitsToWords(fracPart)];
}

/**
 * Year reading: 1984 → nineteen eighty four, 1900 → nineteen hundred,
 * 2005 → two thousand five, 2024 → twenty twenty four.
 */
export function yearWords(digits: string): string[] {
  const n = Number(digits);
  if (digits.length !== 4 || n < 1000) return cardinalWords(digits);
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (n >= 2000 && n < 2010) return cardinalWords(digits);
  if (hi % 10 === 0 && lo === 0) return cardinalWords(digits); // 1000, 2000
  if (lo === 0) return [...below100(hi), "hundred"];
  if (lo < 10) return [...below100(hi), "oh", ONES[lo]!];
  return [...below100(hi), ...below100(lo)];
}

/** Denominator words for simple fractions: 1/2 → one half, 3/4 → three quarters. */
export function fractionWords(num: string, den: string): string[] {
  const n = Number(num);
  const d = Number(den);
  if (!Number.isFinite(n) || !Number.isFinite(d) || d === 0 || den.length > 3) {
    return [...cardinalWords(num), "over", ...cardinalWords(den)];
  }
  const plural = n !== 1;
  let denom: string[];
  if (d === 1) return [...cardinalWords(num), "over", "one"];
  if (d === 2) denom = [plural ? "halves" : "half"];
  else if (d === 4) denom = [plural ? "quarters" : "quarter"];
  else {
    const ord = ordinalWords(den);
    denom = plural ? [...ord.slice(0, -1), ord[ord.length - 1]! + "s"] : ord;
  }
  return [...cardinalWords(num), ...denom];
}
