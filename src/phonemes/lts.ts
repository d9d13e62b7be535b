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
/** Number of tables in LTS_RULES (one per spec). */
export const SPEC_COUNT = SPECS.length;

let tables: string[] | undefined;

/**
 * Value of `key` in one table line "k=v,k=v,..." sorted by key, by binary search
 * on the string itself: no parsing into Maps, so an isolate's first unknown word
 * costs microseconds instead of ~70 ms of table building.
 */
function lookup(line: string, key: string): string | undefined {
  let lo = 0; // start of the first entry still in range
  let hi = line.length; // end (a comma or the line's end) of the last entry in range
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = line.lastIndexOf(",", mid - 1) + 1;
    let end = line.indexOf(",", start);
    if (end < 0 || end > hi) end = hi;
    const eq = line.indexOf("=", start);
    const k = line.slice(start, eq);
    if (k === key) return line.slice(eq + 1, end);
    if (k < key) lo = end + 1;
    else hi = start - 1;
  }
  return undefined;
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
  const t = (tables ??= LTS_RULES.split("\n"));
  const padded = "#".repeat(PAD) + word + "#".repeat(PAD);
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const at = i + PAD;
    for (let s = SPECS.length - 1; s >= 0; s--) {
      const [l, r] = SPECS[s]!;
      const got = lookup(t[s] ?? "", padded.slice(at - l, at + 1 + r));
      if (got !== undefined) {
        out += got;
        break;
      }
    }
  }
  return fixStress(out);
}
