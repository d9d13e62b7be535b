import { describe, expect, test } from "vitest";
import { CONTEXT_FORMS } from "./data/context";
import { FUSED_GROUPS } from "./data/fused";
import { LEXICON } from "./data/lexicon";
import { LTS_RULES } from "./data/lts-rules";
import { PHONEME_ID_MAP } from "./id-map";
import { SPEC_COUNT } from "./lts";

/** Generated tables must only hold symbols the voice has ids for. */
function symbolsOutsideMap(ipa: string): string[] {
  return [...ipa].filter((ch) => !PHONEME_ID_MAP.has(ch));
}

describe("generated G2P data", () => {
  test("one LTS table per window spec, each sorted for binary search", () => {
    const lines = LTS_RULES.split("\n");
    expect(lines).toHaveLength(SPEC_COUNT);
    for (const line of lines) {
      const keys = line.split(",").map((e) => e.slice(0, e.indexOf("=")));
      expect(keys.every((k, i) => i === 0 || keys[i - 1]! < k)).toBe(true);
    }
  });

  test.each([
    { name: "lexicon", text: LEXICON, value: (l: string) => l.split("\t")[1] ?? "" },
    { name: "context forms", text: CONTEXT_FORMS, value: (l: string) => (l.split("\t")[1] ?? "").replace(/[^ ]*=/g, "").replace(/[=*|>!#]/g, "") },
    { name: "fused groups", text: FUSED_GROUPS, value: (l: string) => (l.split("\t")[1] ?? "").replace(/![^ ]*=-/g, "").replace(/[A-Z*]=|[|]/g, "") },
    { name: "LTS outputs", text: LTS_RULES.replace(/,/g, "\n"), value: (l: string) => l.slice(l.indexOf("=") + 1) },
  ])("$name use only known symbols", ({ text, value }) => {
    const bad = new Set(text.split("\n").flatMap((l) => symbolsOutsideMap(value(l))));
    expect([...bad]).toEqual([]);
  });
});
