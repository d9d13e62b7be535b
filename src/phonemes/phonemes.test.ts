import { describe, expect, test } from "vitest";
import { planChunks } from "../text";
import { BOS, EOS, PAD, PHONEME_ID_MAP, phonemizeChunk } from "./index";
import { baseForm } from "./lexicon";
import { letterToSound } from "./lts";

/** Expected strings are espeak-ng 1.51 output (`espeak-ng -q --ipa -v en-us`), per the training contract. */
const say = (text: string) => planChunks(text).map((c) => phonemizeChunk(c).phonemes).join(" ");

describe("phonemizeChunk matches espeak-ng", () => {
  test.each([
    { name: "contract example, streamed as two chunks", input: "Hello world, the 3 cats.", target: "həlˈoʊ wˈɜːld. ðə θɹˈiː kˈæts." },
    { name: "fused of the", input: "The cats of the world", target: "ðə kˈæts ʌvðə wˈɜːld." },
    { name: "the before a vowel, on the", input: "The apple is on the table", target: "ðɪ ˈæpəl ɪz ɔnðə tˈeɪbəl." },
    { name: "unstressed function words, pronoun I", input: "I went to the store", target: "aɪ wɛnt tə ðə stˈoːɹ." },
    { name: "flap before vowel, final stress", input: "It is what it is", target: "ɪɾ ɪz wʌt ɪɾ ˈɪz." },
    { name: "question mark kept", input: "This is a test?", target: "ðɪs ɪz ɐ tˈɛst?" },
  ])("$name", ({ input, target }) => expect(say(input)).toBe(target));
});

describe("utterance marks, as distill/phonemize.py trains", () => {
  test.each([
    { name: "contract example as one chunk", input: { text: "hello world, the three cats.", words: [] }, target: "həlˈoʊ wˈɜːld, ðə θɹˈiː kˈæts." },
    { name: "final comma becomes a period", input: { text: "well,", words: [] }, target: "wˈɛl." },
    { name: "missing final mark becomes a period", input: { text: "hello there", words: [] }, target: "həlˈoʊ ðˈɛɹ." },
    { name: "inner commas stay", input: { text: "yes, no?", words: [] }, target: "jˈɛs, nˈoʊ?" },
  ])("$name", ({ input, target }) => expect(phonemizeChunk(input).phonemes).toBe(target));
});

describe("ids", () => {
  test("Piper layout: ^ _ p _ p _ ... $", () => {
    const [chunk] = planChunks("Hi.");
    const { phonemes, ids } = phonemizeChunk(chunk!);
    const body = [...phonemes].flatMap((ch) => [PHONEME_ID_MAP.get(ch)!, PAD]);
    expect(ids).toEqual([BOS, PAD, ...body, EOS]);
  });

  test("every word gets a non-empty id range, in order, inside the sequence", () => {
    for (const chunk of planChunks("Of the 12 apples, Dr. Smith ate 3.5 — e.g. the red ones!")) {
      const { ids, wordIds } = phonemizeChunk(chunk);
      expect(wordIds.map((w) => w.word)).toEqual(chunk.words.map((_, i) => i));
      let prevEnd = 2;
      for (const w of wordIds) {
        expect(w.start).toBeGreaterThanOrEqual(prevEnd);
        expect(w.end).toBeGreaterThan(w.start);
        expect(w.end).toBeLessThanOrEqual(ids.length - 1);
        prevEnd = w.end;
      }
    }
  });

  test("all ids are in the voice's table", () => {
    const valid = new Set(PHONEME_ID_MAP.values());
    for (const chunk of planChunks("Zbigniew's quixotic xylophone, 1,234th mph; ñandú café!")) {
      for (const id of phonemizeChunk(chunk).ids) expect(valid.has(id)).toBe(true);
    }
  });
});

describe("letter-to-sound for unknown words", () => {
  test.each([
    { name: "made-up word", input: "blorpish" },
    { name: "apostrophe", input: "zorb's" },
    { name: "long", input: "a".repeat(32) },
  ])("$name gives stressed IPA", ({ input }) => {
    const ipa = letterToSound(input);
    expect(ipa.length).toBeGreaterThan(0);
    expect((ipa.match(/ˈ/g) ?? []).length).toBeLessThanOrEqual(1);
  });
});

describe("words without vowels are spelled, as espeak does", () => {
  test.each([
    { name: "vvv", input: "vvv", target: "vˌiːvˌiːvˈiː" },
    { name: "xkcd", input: "xkcd", target: "ˌɛkskˌeɪsˌiːdˈiː" },
    { name: "kbd", input: "kbd", target: "kˌeɪbˌiːdˈiː" },
    { name: "linking r", input: "grr", target: "dʒˌiːˌɑːɹɹˈɑːɹ" },
    { name: "w", input: "pwd", target: "pˌiːdˌʌbəljˌuːdˈiː" },
  ])("$name", ({ input, target }) => expect(baseForm(input)).toBe(target));
});

describe("hostile input", () => {
  test.each([
    { name: "5,000-char word", input: "x".repeat(5000) },
    { name: "100 KB", input: "It's 5:30 pm, Dr. Who paid $1,234.56 for 3 kg. ".repeat(2100) },
    { name: "control chars and surrogates", input: "\u0000a\uD800b\u001bc\u202Ed" },
    { name: "rtl mixed", input: "hello مرحبا world" },
  ])("$name: valid ids, no throw", ({ input }) => {
    for (const chunk of planChunks(input)) {
      const { ids, wordIds } = phonemizeChunk(chunk);
      expect(ids[0]).toBe(BOS);
      expect(ids[ids.length - 1]).toBe(EOS);
      expect(wordIds).toHaveLength(chunk.words.length);
    }
  });

  test("hand-made chunk with odd words is cleaned, not thrown on", () => {
    const { phonemes, wordIds } = phonemizeChunk({ text: "Hello WORLD 42 ok.", words: [] });
    expect(phonemes.length).toBeGreaterThan(0);
    expect(wordIds).toHaveLength(4);
  });
});
