import { describe, expect, test } from "vitest";
import { planChunks } from "./index";

const texts = (input: string) => planChunks(input).map((c) => c.text);

describe("planChunks", () => {
  test.each([
    { name: "empty", input: "", target: [] },
    { name: "whitespace", input: " \n\t ", target: [] },
    { name: "only emoji", input: "😀🎉👍", target: [] },
    { name: "only punctuation", input: "?!...,", target: [] },
    { name: "one sentence", input: "Hello there.", target: ["hello there."] },
    { name: "first clause alone", input: "Well, I think so. Yes.", target: ["well,", "I think so.", "yes."] },
    { name: "mark runs collapse", input: "Really?! Yes...", target: ["really?", "yes."] },
    { name: "no final mark", input: "Hello there", target: ["hello there"] },
    {
      name: "short later clauses stay together",
      input: "Hi. Then, after that, we left.",
      target: ["hi.", "then, after that, we left."],
    },
    {
      name: "long first sentence cut at a conjunction",
      input: "The quick brown fox jumped over the lazy old dog by the river and then it ran away into the woods.",
      target: ["the quick brown fox jumped over the lazy old dog by the river,", "and then it ran away into the woods."],
    },
  ])("$name", ({ input, target }) => expect(texts(input)).toEqual(target));

  test("an ordinary sentence is one chunk (every cut is spoken as an utterance end)", () => {
    expect(texts("Every spring the old farmer repaints the gate a slightly different shade of blue.")).toEqual([
      "every spring the old farmer repaints the gate a slightly different shade of blue.",
    ]);
  });

  test("first chunk is bounded even without marks", () => {
    const words = Array.from({ length: 50 }, (_, i) => `word${"abcdefghijklmnopqrstuvwxyz"[i % 26]}`).join(" ");
    const chunks = planChunks(words);
    expect(chunks[0]!.words.length).toBeLessThanOrEqual(20);
    expect(chunks.flatMap((c) => c.words).length).toBe(50);
  });

  test("later chunks close at commas only once long", () => {
    const chunks = planChunks(
      "Hi. One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen, sixteen, seventeen, eighteen.",
    );
    expect(chunks.map((c) => c.words.length)).toEqual([1, 16, 2]);
  });

  test("an expansion is never split across chunks", () => {
    const chunks = planChunks("Yesterday at the market it costs $4.50 and more");
    expect(chunks[0]!.text).toBe("yesterday at the market it costs four dollars and fifty cents,");
  });

  test("word spans cover the source text", () => {
    const input = "Dr. Smith paid $5.";
    const chunks = planChunks(input);
    expect(chunks.flatMap((c) => c.words.map((w) => input.slice(w.start, w.end)))).toEqual(["Dr.", "Smith", "paid", "$5", "$5"]);
  });

  test("words are the space-separated words of the text", () => {
    for (const c of planChunks("Well, I think it's 5:30 pm; see e.g. NASA's site — www.nasa.gov!")) {
      expect(c.text.split(" ").map((t) => t.replace(/[,.?!]+$/, ""))).toEqual(c.words.map((w) => w.text));
    }
  });
});

describe("character bound", () => {
  test.each([
    { name: "5,000-letter word", input: "a".repeat(5000) },
    { name: "5,000 digits", input: "7".repeat(5000) },
    { name: "long URL", input: `https://example.com/${"abcdefghij/".repeat(450)}` },
    { name: "ordinary prose", input: "The keeper climbed the stairs anyway, counting each step out loud, and nobody knew why. ".repeat(30) },
  ])("$name: no chunk longer than 200 characters, nothing lost", ({ input }) => {
    const chunks = planChunks(input);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(200);
    expect(chunks.length).toBeGreaterThan(1);
  });
});

describe("hostile input", () => {
  test("not a string: TypeError", () => {
    expect(() => planChunks(undefined as unknown as string)).toThrow(TypeError);
    expect(() => planChunks({} as unknown as string)).toThrow(TypeError);
  });

  test.each([
    { name: "100 KB", input: "The cat sat on the mat. ".repeat(4200) },
    { name: "5,000-char word", input: "a".repeat(5000) },
    { name: "digits", input: "9".repeat(5000) },
    { name: "control chars", input: "\u0000\u0001\u001b[31mred\u007f" },
    { name: "lone surrogates", input: "\uD800\uDC00\uDFFF\uD83D" },
    { name: "rtl", input: "مرحبا بالعالم hello עולם" },
    { name: "mixed junk", input: "$$$ %%% ### @@@ ... ,,, --- ///" },
  ])("$name", ({ input }) => {
    const t0 = performance.now();
    const chunks = planChunks(input);
    expect(performance.now() - t0).toBeLessThan(2000);
    for (const c of chunks) {
      expect(c.words.length).toBeGreaterThan(0);
      for (const w of c.words) expect(w.text).toMatch(/^(?:[a-z']+|I(?:'[a-z]+)?)$/);
    }
  });
});
