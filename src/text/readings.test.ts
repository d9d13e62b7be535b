import { describe, expect, test } from "vitest";
import { normalizeText } from "./normalize";

// The readings users hit most, one table per kind. Each row is what a listener should hear; a change to the
// normaliser that alters any of them is a change in what the service says.

/** Normalised words with clause marks glued on, as chunks show them. */
function said(text: string): string {
  return normalizeText(text)
    .map((t) => (t.kind === "word" ? ` ${t.text}` : t.mark))
    .join("")
    .trim();
}

const readings = (rows: [input: string, heard: string][]) =>
  test.each(rows.map(([input, heard]) => ({ input, heard })))("$input", ({ input, heard }) => expect(said(input)).toBe(heard));

describe("thousands separators", () => readings([
  ["We sold 1,250 tickets", "we sold one thousand two hundred fifty tickets"],
  ["It costs 12,500,000 dollars", "it costs twelve million five hundred thousand dollars"],
  ["I paid 1,999 dollars", "I paid one thousand nine hundred ninety nine dollars"],
  ["the 1,000th visitor", "the one thousandth visitor"],
  ["1,234.5 meters", "one thousand two hundred thirty four point five meters"],
  ["Count 1,2,3 and go", "count one, two, three and go"],
  ["1, 2, 3", "one, two, three"],
  ["in 1999, we left", "in nineteen ninety nine, we left"],
  ["12,000 and 13,000", "twelve thousand and thirteen thousand"],
]));

describe("years and amounts", () => readings([
  ["born in 1984", "born in nineteen eighty four"],
  ["The year 2024 was long", "the year twenty twenty four was long"],
  ["in 2005 we", "in two thousand five we"],
  ["since 1900", "since nineteen hundred"],
  ["by 2030", "by twenty thirty"],
  ["in 1066", "in ten sixty six"],
  ["from 1990-2000", "from nineteen ninety to two thousand"],
  ["the 1990s", "the nineteen nineties"],
  ["the 1800s", "the eighteen hundreds"],
  ["100s of them", "hundreds of them"],
  ["2024 km", "two thousand twenty four kilometers"],
  ["room 101", "room one hundred one"],
  ["It was 2,000 people", "it was two thousand people"],
  ["10K stars", "ten thousand stars"],
]));

describe("decimals", () => readings([
  ["It is 3.14 exactly", "it is three point one four exactly"],
  ["0.5 of it", "zero point five of it"],
  [".5 of it", "point five of it"],
  ["it was -3.5 degrees", "it was minus three point five degrees"],
  ["version 2.0", "version two point zero"],
  ["4.5 stars", "four point five stars"],
  ["3.5 million people", "three point five million people"],
]));

describe("ordinals", () => readings([
  ["the 21st century", "the twenty first century"],
  ["the 1st, 2nd, 3rd and 4th", "the first, second, third and fourth"],
  ["the 101st time", "the one hundred first time"],
  ["12th century", "twelfth century"],
  ["the 2nd-floor room", "the second floor room"],
]));

describe("phone numbers", () => readings([
  ["Call 555-123-4567 now", "call five five five one two three four five six seven now"],
  ["Call (800) 555-1212 now", "call eight zero zero five five five one two one two now"],
  ["Call 555.123.4567 now", "call five five five one two three four five six seven now"],
  ["Call 555 234 5678 now", "call five five five two three four five six seven eight now"],
  ["Call +1 555 123 4567 now", "call plus one five five five one two three four five six seven now"],
  ["Call +44 20 7946 0958", "call plus four four two zero seven nine four six zero nine five eight"],
  ["we had 100 200 3000", "we had one hundred two hundred three thousand"],
]));

describe("currencies with cents", () => readings([
  ["It costs $3.50 today", "it costs three dollars and fifty cents today"],
  ["$0.99", "ninety nine cents"],
  ["$1.01 total", "one dollar and one cent total"],
  ["$1,250.50 each", "one thousand two hundred fifty dollars and fifty cents each"],
  ["$100.00 each", "one hundred dollars each"],
  ["£2.50 each", "two pounds and fifty pence each"],
  ["€5 each", "five euros each"],
  ["12.50 EUR each", "twelve euros and fifty cents each"],
  ["5 USD", "five dollars"],
  ["$5 million", "five million dollars"],
  ["It costs USD 50", "it costs fifty dollars"],
  ["EUR 12.50 each", "twelve euros and fifty cents each"],
]));

describe("percentages", () => readings([
  ["50% off", "fifty percent off"],
  ["12.5% growth", "twelve point five percent growth"],
  ["-2% change", "minus two percent change"],
  ["about 50 percent", "about fifty percent"],
]));

describe("units", () => readings([
  ["5 km away", "five kilometers away"],
  ["It weighs 1 kg", "it weighs one kilogram"],
  ["1.5 kg of flour", "one point five kilograms of flour"],
  ["He is 6 ft tall", "he is six feet tall"],
  ["100 mph", "one hundred miles per hour"],
  ["10 km/h", "ten kilometers per hour"],
  ["20°C outside", "twenty degrees celsius outside"],
  ["2 GB of memory", "two gigabytes of memory"],
  ["2 1/2 cups", "two and one half cups"],
  ["3/4 of them", "three quarters of them"],
  ["a 2 x 4 board", "a two by four board"],
  ["a 50-50 chance", "a fifty fifty chance"],
  ["pages 10-20", "pages ten to twenty"],
  ["5x faster", "five times faster"],
  ["a 7B model", "a seven billion model"],
  ["Room 3B", "room three b"],
  ["Apt. 4B", "apartment four b"],
  ["Gate 12A", "gate twelve eh"],
  ["a 5A fuse", "a five amps fuse"],
]));

describe("times", () => readings([
  ["at 3:30 pm", "at three thirty p m"],
  ["at 7:05 a.m.", "at seven oh five eh m."],
  ["at 10:00", "at ten o'clock"],
  ["at 12:00 PM", "at twelve p m"],
  ["at 3 pm", "at three p m"],
  ["It is 14:30 now", "it is fourteen thirty now"],
  ["9 am to 5 pm", "nine eh m to five p m"],
  ["We met at 7 p.m. Then we left", "we met at seven p m. then we left"],
  ["The score was 3:2", "the score was three to two"],
  ["open 9:00-17:00", "open nine o'clock to seventeen o'clock"],
  ["Open Mon-Fri 9am-5pm", "open monday to friday nine eh m to five p m"],
  ["Sat 10:00", "saturday ten o'clock"],
  ["We sat 10 minutes", "we sat ten minutes"],
]));

describe("dates", () => readings([
  ["on 12/25/2024", "on december twenty fifth twenty twenty four"],
  ["on 2024-03-15", "on march fifteenth twenty twenty four"],
  ["on March 3, 2024", "on march third, twenty twenty four"],
  ["on 3 March 2024", "on third of march twenty twenty four"],
  ["May 4th", "may fourth"],
  ["on Jan. 5, 2024", "on january fifth, twenty twenty four"],
  ["on Jan 5", "on january fifth"],
  ["Sept. 11", "september eleventh"],
  ["on 3/15", "on march fifteenth"],
  ["by 1/4", "by one quarter"],
  ["Jan said 5 words", "jan said five words"],
]));

describe("abbreviations", () => readings([
  ["Dr. Smith lives on Main St.", "doctor smith lives on main street."],
  ["Mr. Jones vs. Mrs. Smith", "mister jones versus missus smith"],
  ["e.g. this, i.e. that", "for example this, that is that"],
  ["St. Louis", "saint louis"],
  ["Prof. Green", "professor green"],
  ["No. 5 please", "number five please"],
  ["NASA and the FBI", "nasa and the f b i"],
  ["The U.S. and the U.K.", "the u s and the u k."],
  ["etc. and so on", "et cetera and so on"],
  ["cats vs dogs", "cats versus dogs"],
  ["ca. 1900", "circa nineteen hundred"],
]));
