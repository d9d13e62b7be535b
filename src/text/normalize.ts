/**
 * Raw text → speakable lower-case words and clause marks, each word carrying the
 * UTF-16 span of the raw text it was read from (expansions share their source span).
 */
import { webWords } from "./expand-web";
import { scanText, type RawToken } from "./scan";
import { moneyWords } from "./expand-numeric";
import { ABBREVIATIONS, CURRENCIES, DOTTED, MONTHS, SYMBOLS } from "./tables";
import type { ClauseMark, NormToken } from "./types";
import { cleanWord, isAcronym, isCapitalized, isShouted, spellLetters } from "./words";
import { readNumber } from "./read-number";
import { romanReading } from "./roman";

/** Previous words after which a number from 1000 to 1099 is a year ("in 1066"); 1100–2099 need none. */
const YEAR_CUES = new Set(["in", "since", "by", "until", "till", "from", "of", "year", "during", "before", "after", "early", "late", "mid", "circa", "summer", "winter", "spring", "autumn", "fall"]);
/** Abbreviations expanded in lower case too; the rest only when capitalised ("sat." is a verb). */
const LOWERCASE_OK = new Set(["etc", "vs", "approx", "ca"]);

const WEEKDAYS = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);

/** Titles also abbreviated without a period before a name ("Dr Smith"). */
const TITLES = new Set(["dr", "mr", "mrs", "ms", "prof", "st"]);

export class Expander {
  readonly out: NormToken[] = [];
  constructor(readonly toks: readonly RawToken[]) {}

  at(i: number): RawToken | undefined {
    return this.toks[i];
  }

  words(words: readonly string[], start: number, end: number): void {
    for (const w of words) for (const c of cleanWord(w)) this.out.push({ kind: "word", text: c, start, end });
  }

  mark(mark: ClauseMark, start: number, end: number): void {
    this.out.push({ kind: "mark", mark, start, end });
  }

  /** The text of token j when it is a word. */
  wordAt(j: number): string | undefined {
    const t = this.toks[j];
    return t?.kind === "word" ? t.text : undefined;
  }

  /** Token j is a capitalised word: a name, or the start of a sentence. */
  capitalizedAt(j: number): boolean {
    const t = this.toks[j];
    return t?.kind === "word" && isCapitalized(t.text);
  }

  /** A sentence may end after token i: the text ends or a capitalised word follows. */
  endsSentence(i: number): boolean {
    return i + 1 >= this.toks.length || this.capitalizedAt(i + 1);
  }

  /** Token j is a capitalised month name or its abbreviation ("March", "Jan", "Sept"). */
  monthAt(j: number): boolean {
    const t = this.toks[j];
    if (t?.kind !== "word" || !isCapitalized(t.text)) return false;
    const key = t.text.toLowerCase();
    return MONTHS.includes(key) || MONTHS.includes(ABBREVIATIONS[key]?.words ?? "");
  }

  /** Context cues for the number at i. */
  numberCues(i: number): { yearCue: boolean; afterMonth: boolean } {
    const prev = this.toks[i - 1];
    const prevWord = prev?.kind === "word" ? prev.text.toLowerCase() : "";
    // "March 3", "Jan 3", "Sept. 11": the day of a month.
    const abbreviated = prev?.kind === "mark" && prev.text === "." && !prev.spaced && this.monthAt(i - 2);
    const afterMonth = this.monthAt(i - 1) || abbreviated;
    const twoBack = this.toks[i - 3];
    const afterDay = prev?.kind === "mark" && this.toks[i - 2]?.kind === "num" && twoBack?.kind === "word" && MONTHS.includes(twoBack.text.toLowerCase());
    return { yearCue: afterMonth || afterDay || YEAR_CUES.has(prevWord), afterMonth };
  }

  /** Handles token i; returns how many tokens it consumed. */
  step(i: number): number {
    const t = this.toks[i]!;
    if (t.paragraph && this.out[this.out.length - 1]?.kind === "word") this.mark(".", t.start, t.start);
    switch (t.kind) {
      case "word": return this.word(i, t);
      case "dotted": return this.dotted(i, t);
      case "num": case "money": case "time": case "date": case "frac": case "phone":
        return readNumber(this, i, t);
      case "url": case "email": this.words(webWords(t.text, t.kind), t.start, t.end); return 1;
      case "mark": return this.punct(i, t);
      case "hyphen": return this.hyphen(i, t);
      case "sym": return this.symbol(i, t);
    }
  }

  private word(i: number, t: RawToken): number {
    const next = this.toks[i + 1];
    const key = t.text.toLowerCase();
    const abbr = ABBREVIATIONS[key];
    if (abbr && next?.kind === "mark" && next.text === "." && !next.spaced
      && (isCapitalized(t.text) || LOWERCASE_OK.has(key))
      && (key !== "no" || this.toks[i + 2]?.kind === "num")) {
      let words = abbr.words;
      if (key === "st" && !this.capitalizedAt(i + 2)) words = "street";
      if (key === "dr" && !this.capitalizedAt(i + 2)) words = "drive";
      this.words(words.split(" "), t.start, next.end);
      if ((abbr.end || words !== abbr.words) && this.endsSentence(i + 1)) this.mark(".", next.start, next.end);
      return 2;
    }
    if (abbr && !MONTHS.includes(key) && this.monthAt(i) && next?.kind === "num" && next.spaced && /^\d{1,2}$/.test(next.text) && Number(next.text) >= 1 && Number(next.text) <= 31) {
      this.words([abbr.words], t.start, t.end); // "Jan 5": a date, not the name Jan
      return 1;
    }
    // "Mon-Fri", "Sat 10:00": weekday abbreviations without their period, where only a day makes sense.
    const dayContext = (this.toks[i + 1]?.kind === "hyphen" && this.weekdayAt(i + 2)) || (this.toks[i - 1]?.kind === "hyphen" && this.weekdayAt(i - 2)) || next?.kind === "time";
    if (abbr && key !== abbr.words && WEEKDAYS.has(abbr.words) && isCapitalized(t.text) && next?.text !== "." && dayContext) {
      this.words([abbr.words], t.start, t.end);
      return 1;
    }
    if (key === "vs") {
      this.words(["versus"], t.start, t.end); // also without its period: "cats vs dogs"
      return 1;
    }
    // "USD 50", "EUR 12.50": a currency code before the amount.
    if (/^[A-Z]{3}$/.test(t.text) && CURRENCIES[t.text] && next?.kind === "num" && next.spaced && next.suffix === undefined && !/^[-−]/.test(next.text)) {
      this.words(moneyWords(t.text, next.text, null), t.start, next.end);
      return 2;
    }
    if (TITLES.has(key) && isCapitalized(t.text) && next?.spaced && this.capitalizedAt(i + 1)) {
      this.words(ABBREVIATIONS[key]!.words.split(" "), t.start, t.end); // "Dr Smith"
      return 1;
    }
    if (key === "x" && this.toks[i - 1]?.kind === "num" && this.toks[i + 1]?.kind === "num") {
      this.words(["by"], t.start, t.end); // dimensions: "2 x 4", "1920x1080"
      return 1;
    }
    if (key === "x" && this.toks[i - 1]?.kind === "num" && !t.spaced) {
      this.words(["times"], t.start, t.end); // "5x faster"
      return 1;
    }
    const roman = romanReading(t.text, this.toks[i - 1]);
    if (roman) this.words(roman, t.start, t.end);
    else if (isAcronym(t.text, isShouted(t.text, this.wordAt(i - 1), this.wordAt(i + 1)))) {
      this.words(spellLetters(t.text), t.start, t.end);
    }
    else this.words([t.text], t.start, t.end);
    return 1;
  }

  private dotted(i: number, t: RawToken): number {
    const key = t.text.replace(/\./g, "").toLowerCase();
    const known = DOTTED[key];
    this.words(known ? known.words.split(" ") : spellLetters(key.toUpperCase()), t.start, t.end);
    if ((!known || known.end) && this.endsSentence(i)) this.mark(".", t.end - 1, t.end);
    return 1;
  }

  private punct(i: number, t: RawToken): number {
    const c = t.text;
    if (c === "¿" || c === "¡") return 1;
    // A period glued to what follows is part of a number or name: ".5", "v2.1.3", "site.com".
    const next = this.toks[i + 1];
    if (c === "." && next !== undefined && !next.spaced) {
      const said = next.kind === "num" ? "point" : next.kind === "word" && !t.spaced ? "dot" : null;
      if (said !== null) {
        this.words([said], t.start, t.end);
        return 1;
      }
    }
    // "16:9", "3:2": a ratio or score (times with two-digit minutes never get here).
    if (c === ":" && this.toks[i - 1]?.kind === "num" && next?.kind === "num" && !t.spaced && !next.spaced) {
      this.words(["to"], t.start, t.end);
      return 1;
    }
    if (c === "?" || c === "!" || c === ".") this.mark(c, t.start, t.end);
    else if (c === "…" || /^\.{2,}$/.test(c)) this.mark(".", t.start, t.end);
    else this.mark(",", t.start, t.end);
    return 1;
  }

  private hyphen(i: number, t: RawToken): number {
    // "5-10" is a range; a hyphen between words only separates them.
    const prev = this.toks[i - 1];
    const next = this.toks[i + 1];
    if (t.spaced || next?.spaced) return 1;
    const numeric = (k: RawToken["kind"] | undefined): boolean => k === "num" || k === "money" || k === "time";
    // "9am-5pm": the range starts at a number with its meridiem.
    const meridiemEnd = prev?.kind === "word" && /^[ap]m$/i.test(prev.text) && numeric(this.toks[i - 2]?.kind);
    const range = (numeric(prev?.kind) || meridiemEnd) && numeric(next?.kind) && !(prev?.kind === "num" && prev.text === next!.text); // "50-50" is even
    if (range || (this.weekdayAt(i - 1) && this.weekdayAt(i + 1))) this.words(["to"], t.start, t.end); // "Mon-Fri"
    return 1;
  }

  /** Token j is a capitalised weekday, written out or abbreviated without a period ("Mon", "Tues"). */
  weekdayAt(j: number): boolean {
    const t = this.toks[j];
    return t?.kind === "word" && isCapitalized(t.text) && WEEKDAYS.has(ABBREVIATIONS[t.text.toLowerCase()]?.words ?? t.text.toLowerCase());
  }

  private symbol(i: number, t: RawToken): number {
    const next = this.toks[i + 1];
    if (t.text === "#") {
      if (next?.kind === "num" && !next.spaced) this.words(["number"], t.start, t.end);
      else if (next?.kind === "word" && !next.spaced) this.words(["hashtag"], t.start, t.end);
      return 1;
    }
    const said = SYMBOLS[t.text];
    if (said) this.words(said.split(" "), t.start, t.end);
    return 1;
  }
}

export function normalizeText(text: string): NormToken[] {
  const ex = new Expander(scanText(text));
  for (let i = 0; i < ex.toks.length; ) i += ex.step(i);
  return ex.out;
}
