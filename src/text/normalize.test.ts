import { describe, expect, test } from "vitest";
import { normalizeText } from "./normalize";

/** Normalised text with marks glued on, as chunks show it. */
function norm(text: string): string {
  return normalizeText(text)
    .map((t) => (t.kind === "word" ? ` ${t.text}` : t.mark))
    .join("")
    .trim();
}

const table = (rows: { name: string; input: string; target: string }[]) =>
  test.each(rows)("$name", ({ input, target }) => expect(norm(input)).toBe(target));

describe("numbers in text", () => table([
  { name: "cardinal", input: "I have 3 cats.", target: "I have three cats." },
  { name: "grouped", input: "1,000,000 people", target: "one million people" },
  { name: "decimal", input: "pi is 3.14", target: "pi is three point one four" },
  { name: "negative", input: "it was -5 outside", target: "it was minus five outside" },
  { name: "ordinal", input: "the 21st century", target: "the twenty first century" },
  { name: "decade", input: "the 1990s", target: "the nineteen nineties" },
  { name: "year", input: "born in 1984", target: "born in nineteen eighty four" },
  { name: "cued year", input: "since 2024", target: "since twenty twenty four" },
  { name: "2024 reads as a year", input: "Q3 2024", target: "q three twenty twenty four" },
  { name: "measured 2024 is a number", input: "2024 km", target: "two thousand twenty four kilometers" },
  { name: "1066 needs a cue", input: "in 1066", target: "in ten sixty six" },
  { name: "phone", input: "(800) 555-1212", target: "eight zero zero five five five one two one two" },
  { name: "range", input: "pages 5-10", target: "pages five to ten" },
  { name: "percent", input: "50% off", target: "fifty percent off" },
  { name: "money range", input: "$10-20", target: "ten dollars to twenty" },
  { name: "decimal percent", input: "3.5%", target: "three point five percent" },
  { name: "leading zero", input: "agent 007", target: "agent zero zero seven" },
  { name: "fraction", input: "1/2 cup", target: "one half cup" },
  { name: "vulgar fraction", input: "½ cup", target: "one half cup" },
  { name: "mixed vulgar fraction", input: "2¼ cups", target: "two and one quarter cups" },
  { name: "glued scale", input: "1.5M users, 10K stars", target: "one point five million users, ten thousand stars" },
  { name: "ratio", input: "16:9 screens", target: "sixteen to nine screens" },
  { name: "math symbols", input: "± 2 ≈ 3 ≤ 4", target: "plus or minus two approximately three less than or equal to four" },
  { name: "trailing comma stays a mark", input: "5, 6", target: "five, six" },
]));

describe("money", () => table([
  { name: "dollars and cents", input: "$4.50", target: "four dollars and fifty cents" },
  { name: "one dollar", input: "$1", target: "one dollar" },
  { name: "cents only", input: "$0.99", target: "ninety nine cents" },
  { name: "euro", input: "€12", target: "twelve euros" },
  { name: "euro after", input: "12 €", target: "twelve euros" },
  { name: "pounds and pence", input: "£3.20", target: "three pounds and twenty pence" },
  { name: "scale", input: "$1.5 million", target: "one point five million dollars" },
  { name: "glued scale", input: "$3bn", target: "three billion dollars" },
]));

describe("times and dates", () => table([
  { name: "time", input: "at 7:15", target: "at seven fifteen" },
  { name: "oh minutes", input: "at 7:05", target: "at seven oh five" },
  { name: "o'clock", input: "at 7:00", target: "at seven o'clock" },
  { name: "pm", input: "at 3 pm", target: "at three p m" },
  { name: "glued am", input: "at 10am", target: "at ten eh m" },
  { name: "time pm", input: "7:30 p.m. tonight", target: "seven thirty p m tonight" },
  { name: "month day", input: "March 3", target: "march third" },
  { name: "month day year", input: "March 3, 2024", target: "march third, twenty twenty four" },
  { name: "day month", input: "3 March", target: "third of march" },
  { name: "iso date", input: "2024-03-15", target: "march fifteenth twenty twenty four" },
  { name: "us date", input: "3/15/2024", target: "march fifteenth twenty twenty four" },
]));

describe("units", () => table([
  { name: "km", input: "5 km", target: "five kilometers" },
  { name: "singular", input: "1 kg", target: "one kilogram" },
  { name: "glued", input: "3kg", target: "three kilograms" },
  { name: "per", input: "100 km/h", target: "one hundred kilometers per hour" },
  { name: "celsius", input: "20°C", target: "twenty degrees celsius" },
  { name: "no unit for a spaced capital", input: "5 A grades", target: "five a grades" },
]));

describe("abbreviations and acronyms", () => table([
  { name: "doctor", input: "Dr. Smith", target: "doctor smith" },
  { name: "saint", input: "St. Louis", target: "saint louis" },
  { name: "street ends text", input: "on Elm St.", target: "on elm street." },
  { name: "mister", input: "Mr. Jones", target: "mister jones" },
  { name: "etc mid", input: "apples, etc. and more", target: "apples, et cetera and more" },
  { name: "etc end", input: "apples etc. The end", target: "apples et cetera. the end" },
  { name: "eg", input: "e.g. this", target: "for example this" },
  { name: "ie", input: "i.e. that", target: "that is that" },
  { name: "number", input: "No. 5", target: "number five" },
  { name: "no is a word", input: "I said no.", target: "I said no." },
  { name: "word acronym", input: "NASA", target: "nasa" },
  { name: "spelled", input: "HTML", target: "h t m l" },
  { name: "spelled a", input: "USA", target: "u s eh" },
  { name: "plural acronym", input: "CEOs", target: "c e o's" },
  { name: "dotted", input: "the U.S. and", target: "the u s and" },
  { name: "dotted with a two-letter part", input: "a Ph.D. student", target: "a p h d student" },
  { name: "title without period", input: "Dr Smith", target: "doctor smith" },
  { name: "roman cardinal", input: "World War II", target: "world war two" },
  { name: "roman regnal", input: "Louis XIV", target: "louis the fourteenth" },
  { name: "roman-looking acronym", input: "the IV drip", target: "the i v drip" },
  { name: "shouting is not acronyms", input: "DO NOT ENTER THE ROOM", target: "do not enter the room" },
]));

describe("web and symbols", () => table([
  { name: "url", input: "see https://www.example.com/docs", target: "see w w w dot example dot com slash docs" },
  { name: "email", input: "mail john.doe@example.com", target: "mail john dot doe at example dot com" },
  { name: "ampersand", input: "R&D", target: "r and d" },
  { name: "plus equals", input: "2 + 2 = 4", target: "two plus two equals four" },
  { name: "hashtag", input: "#blessed", target: "hashtag blessed" },
  { name: "number sign", input: "#1", target: "number one" },
]));

describe("markdown-ish and glued periods", () => table([
  { name: "blank line ends a sentence", input: "Title\n\nBody text", target: "title. body text" },
  { name: "bullets end items", input: "Items:\n* one\n* two", target: "items, one. two" },
  { name: "single newline is a space", input: "a wrapped\nline", target: "a wrapped line" },
  { name: "numbered list", input: "1. Eggs\n2. Milk", target: "one. eggs. two. milk" },
  { name: "bare domain", input: "see google.com now", target: "see google dot com now" },
  { name: "version", input: "v2.1.3", target: "v two point one point three" },
  { name: "leading point", input: "a .5 chance", target: "a point five chance" },
  { name: "emphasis", input: "**bold** and `code`", target: "bold and code" },
]));

describe("unicode and junk", () => table([
  { name: "curly quotes", input: "“Hi,” she said", target: "hi, she said" },
  { name: "apostrophe", input: "don’t", target: "don't" },
  { name: "pronoun I keeps its capital", input: "I think I’m right, i said", target: "I think I'm right, i said" },
  { name: "accents", input: "café naïve", target: "cafe naive" },
  { name: "dashes", input: "yes — no – maybe", target: "yes, no, maybe" },
  { name: "ellipsis", input: "wait… what", target: "wait. what" },
  { name: "emoji dropped", input: "hi 😀 there", target: "hi there" },
  { name: "other scripts dropped", input: "hello שלום мир", target: "hello" },
  { name: "controls", input: "a\u0000b\u0007c", target: "a b c" },
  { name: "lone surrogate", input: "x\uD800y", target: "x y" },
  { name: "empty", input: "", target: "" },
]));

test("spans point into the original text", () => {
  const text = "Pay $4.50 now";
  const words = normalizeText(text).filter((t) => t.kind === "word");
  expect(words.map((w) => text.slice(w.start, w.end))).toEqual(["Pay", ...Array(5).fill("$4.50"), "now"]);
});
