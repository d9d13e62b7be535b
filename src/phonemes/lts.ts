/**
 * Letter-to-sound rules for words outside the lexicon, learned from espeak-ng's
 * output by tools/g2p/lts.py (see there for the model). Each letter emits the
 * output of the most specific matching context window; '#' pads the word edges.
 */
import { LTS_RULES } from "./data/lts-rules";

/** (left, right) window sizes, least specific first. Must match tools/g2p/lts.py SPECS. */
const SPECS: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [1, 0], [0, 1], [1, 1], [2, 1], [1, 2], [2, 2], [3, 2], [2, 3], [3, 3],
  [4, 3], [3, 4], [4, 4], [5, 4], [4, 5], [5, 5], [6, 5], [5, 6], [6, 6],
];
const PAD = 6;

let tables: Map<string, string>[] | undefined;

/** Parsed lazily: the first OOV word pays ~ms, requests that never meet one pay nothing. */
function loadTables(): Map<string, string>[] {
  tables = LTS_RULES.split("\n").map((line) => {
    const m = new Map<string, string>();
    if (line === "") return m;
    for (const entry of line.split(",")) {
      const eq = entry.indexOf("=");
      m.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return m;
  });
  return tables;
}

/**
 * One primary stress per word, as espeak writes it: later primaries become
 * secondary; with none, the first secondary becomes primary.
 */
export function fixStress(ipa: string): string {
  const first = ipa.indexOf("ˈ");
  if (first < 0) return ipa.replace("ˌ", "ˈ");
  return ipa.slice(0, first + 1) + ipa.slice(first + 1).replace(/ˈ/g, "ˌ");
}

/** IPA for a lower-case word ([a-z']), predicted letter by letter. */
export function letterToSound(word: string): string {
  const t = tables ?? loadTables();
  const padded = "#".repeat(PAD) + word + "#".repeat(PAD);
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const at = i + PAD;
    for (let s = SPECS.length - 1; s >= 0; s--) {
      const [l, r] = SPECS[s]!;
      const got = t[s]?.get(padded.slice(at - l, at + 1 + r));
      if (got !== undefined) {
        out += got;
        break;
      }
    }
  }
  return fixStress(out);
}
