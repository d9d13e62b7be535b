import { expect, test } from "vitest";
import { phonemizeChunk, PHONEME_ID_MAP } from "../phonemes";
import { IncrementalChunker, planChunks } from "./index";

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "Dr.", "St.", "e.g.", "U.S.", "$4.50", "€12", "3", "1,000", "-7", "21st", "1990s", "7:15", "pm", "3/4", "2024-03-15",
  "50%", "5", "km", "°C", "NASA", "HTML", "www.example.com", "a@b.co", "&", "+", "#1", "—", "...", "?!", ",", ".", ";",
  "hello", "world", "the", "of", "and", "it's", "don’t", "café", "😀", "\u0000", "\uD800", "שלום", "\n\n", "* ", "(", ")",
  "\"", "'", "-", "/", "x".repeat(40), "9".repeat(30), " ", "  ", "\t",
];

test("random mixtures never throw and keep the invariants", () => {
  const rand = rng(42);
  const valid = new Set(PHONEME_ID_MAP.values());
  for (let round = 0; round < 120; round++) {
    let text = "";
    const n = 1 + Math.floor(rand() * 40);
    for (let k = 0; k < n; k++) text += PIECES[Math.floor(rand() * PIECES.length)]! + (rand() < 0.6 ? " " : "");
    const whole = planChunks(text);
    for (const c of whole) {
      expect(c.words.length).toBeGreaterThan(0);
      for (const w of c.words) {
        expect(w.text).toMatch(/^(?:[a-z']+|I(?:'[a-z]+)?)$/);
        expect(0 <= w.start && w.start <= w.end && w.end <= text.length).toBe(true);
      }
      const { ids, wordIds } = phonemizeChunk(c);
      expect(wordIds).toHaveLength(c.words.length);
      for (const id of ids) expect(valid.has(id)).toBe(true);
    }
    // Streaming the same text in random pieces gives the same words and spans.
    const inc = new IncrementalChunker();
    const got = [];
    for (let at = 0; at < text.length; ) {
      const len = 1 + Math.floor(rand() * 8);
      got.push(...inc.push(text.slice(at, at + len), false));
      at += len;
    }
    got.push(...inc.push("", true));
    expect(got.flatMap((c) => c.words.map((w) => w.start))).toEqual(whole.flatMap((c) => c.words.map((w) => w.start)));
  }
}, 60_000);
