/**
 * Splits raw text into typed raw tokens with UTF-16 spans. Anything no pattern
 * claims (emoji, control characters, lone surrogates, other scripts' symbols) is
 * skipped, which is how unspeakable input is dropped safely.
 */

export type RawKind =
  | "url" | "email" | "phone" | "time" | "date" | "frac" | "money" | "num"
  | "dotted" | "word" | "mark" | "hyphen" | "sym";

export interface RawToken {
  kind: RawKind;
  text: string;
  start: number;
  end: number;
  /** Whitespace separates this token from the previous one (or it is first). */
  spaced: boolean;
  /** A blank line or a bulleted line start precedes it: a sentence break without a mark. */
  paragraph: boolean;
  /** For "num": the suffix glued to the digits (st, nd, rd, th, s, %). */
  suffix?: string;
}

/** Integer part: "1,000,000" groups or a plain digit run (so "5," keeps its comma out). */
const INT = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)`;
/** A sign counts only where it cannot be a hyphen or minus between operands. */
const SIGN = String.raw`(?:(?<![\p{L}\p{N}])[-−])?`;

const PATTERNS: ReadonlyArray<readonly [RawKind, string]> = [
  ["url", String.raw`(?:https?:\/\/|www\.)[^\s<>"'()\[\]{}]*[^\s<>"'()\[\]{}.,;:!?]`],
  ["email", String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`],
  ["time", String.raw`\d{1,2}:\d{2}(?::\d{2})?(?!\d)`],
  // "(800) 555-1212", "555-123-4567", "555 234 5678" (3-3-4 digits, area code and exchange from 2), "+44 20 7946 0958", "+15551234567".
  ["phone", String.raw`(?:(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}|(?<![\d,.])[2-9]\d{2} [2-9]\d{2} \d{4}|\+\d{1,3}(?:[ .-]\(?\d{1,4}\)?){2,5}|\+\d{7,15})(?![\d,.]?\d)`],
  ["date", String.raw`\d{1,4}[\/-]\d{1,2}[\/-]\d{1,4}(?!\d)`],
  ["frac", String.raw`\d{1,6}\/\d{1,6}(?![\d\/])|[¼½¾⅓⅔⅛⅜⅝⅞]`],
  ["money", String.raw`[$€£¥₹]\s?${INT}(?:\.\d+)?`],
  ["num", String.raw`${SIGN}${INT}(?:\.\d+)?(?:st|nd|rd|th|s|%)?(?![\p{L}\d])|${SIGN}${INT}(?:\.\d+)?`],
  ["dotted", String.raw`(?:\p{L}\.){2,}|\p{Lu}\p{Ll}\.(?:\p{Lu}\.)+`],
  ["word", String.raw`[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*`],
  ["mark", String.raw`\.{2,}|…|[,;:.?!¿¡()\[\]]|--+|[\u2012-\u2015]|(?<=\s)-(?=\s)`],
  ["hyphen", String.raw`[-‐‑]`],
  ["sym", String.raw`[&+=@#%×°<>~$€£¥₹\/±≈≤≥÷]`],
];

const TOKEN_RE = new RegExp(PATTERNS.map(([k, p]) => `(?<${k}>${p})`).join("|"), "gu");
/** Blank line, or a new line starting with a bullet (LLM output is often markdown). */
const PARAGRAPH_RE = /\n\s*\n|\n[ \t]*[*•‣◦·]/u;
/** "2. " or "2) " at a line start: a numbered list item. */
const LIST_ITEM_RE = /^\d{1,3}[.)]\s/;
const NUM_SUFFIX_RE = /(st|nd|rd|th|s|%)$/;

export function scanText(text: string): RawToken[] {
  const out: RawToken[] = [];
  let lastEnd = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const groups = m.groups!;
    const kind = PATTERNS.find(([k]) => groups[k] !== undefined)![0];
    const start = m.index!;
    const end = start + m[0].length;
    const gap = text.slice(lastEnd, start);
    const spaced = out.length === 0 || /\s/u.test(gap);
    const paragraph = out.length > 0 && (PARAGRAPH_RE.test(gap) || (gap.includes("\n") && LIST_ITEM_RE.test(text.slice(start, start + 6))));
    const tok: RawToken = { kind, text: m[0], start, end, spaced, paragraph };
    if (kind === "num") {
      const s = NUM_SUFFIX_RE.exec(m[0]);
      if (s) {
        tok.suffix = s[1]!;
        tok.text = m[0].slice(0, -s[1]!.length);
      }
    }
    out.push(tok);
    lastEnd = end;
  }
  return out;
}
