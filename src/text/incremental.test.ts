import { describe, expect, test } from "vitest";
import { IncrementalChunker, planChunks, type TextChunk } from "./index";

function feed(pieces: string[]): TextChunk[][] {
  const c = new IncrementalChunker();
  return pieces.map((p, i) => c.push(p, i === pieces.length - 1));
}

describe("IncrementalChunker", () => {
  test.each([
    {
      name: "sentence emitted once the next word arrives",
      pieces: ["Hello there. ", "How ", "are you? ", "Fine", ""],
      target: [[], ["hello there."], [], [], ["how are you?", "fine"]],
    },
    {
      name: "word split across pieces is not split",
      pieces: ["Hel", "lo wor", "ld, I said. Ok", ""],
      target: [[], [], ["hello world,"], ["I said.", "ok"]],
    },
    {
      name: "first clause goes early",
      pieces: ["Well, ", "this is it.", ""],
      target: [[], ["well,"], ["this is it."]],
    },
    { name: "final flush without marks", pieces: ["just words"], target: [["just words"]] },
    { name: "nothing", pieces: ["", ""], target: [[], []] },
  ])("$name", ({ pieces, target }) => {
    expect(feed(pieces).map((cs) => cs.map((c) => c.text))).toEqual(target);
  });

  test.each([
    "Dr. Smith paid $4.50 for 3 kg of rice on March 3, 2024. It was fine, really! What now? Nothing.",
    "We sold 1,250 tickets on Jan. 5, 2024 at 7 p.m. Then we left. Call +1 555 234 5678 on 3/15 for 2 1/2 cups.",
  ])("matches planChunks on the whole text, spans included: %s", (text) => {
    for (const size of [1, 2, 3, 7, 13]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      pieces.push("");
      const got = feed(pieces).flat();
      const want = planChunks(text);
      expect(got.flatMap((c) => c.words)).toEqual(want.flatMap((c) => c.words));
      expect(got.map((c) => c.text).join(" ")).toBe(want.map((c) => c.text).join(" "));
    }
  });
});

test("a long stream in small pieces stays linear enough", () => {
  const c = new IncrementalChunker();
  const piece = "The cat sat on the mat, and then it slept. ";
  const t0 = performance.now();
  let words = 0;
  for (let i = 0; i < 2000; i++) for (const ch of c.push(piece, false)) words += ch.words.length;
  for (const ch of c.push("", true)) words += ch.words.length;
  expect(words).toBe(2000 * 10);
  expect(performance.now() - t0).toBeLessThan(5000);
});
