// Reference phonemes from espeak-ng (offline tool only; GPL, never shipped).
// Batches clauses as lines of one process: a line break ends a clause, as the
// per-clause command line of the training contract does.
import { spawnSync } from "node:child_process";

const ARGS = ["-q", "--ipa", "-v", "en-us"];
const collapse = (s) => s.replace(/\s+/g, " ").trim();

function espeakOne(text) {
  return collapse(spawnSync("espeak-ng", [...ARGS, text], { encoding: "utf8" }).stdout);
}

/** IPA per line (each line one clause without punctuation). */
export function espeakLines(lines, batch = 2000) {
  const out = [];
  for (let i = 0; i < lines.length; i += batch) {
    const part = lines.slice(i, i + batch);
    const res = spawnSync("espeak-ng", ARGS, { input: part.join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 28 });
    const got = res.stdout.split("\n").map(collapse);
    const aligned = got.length === part.length + 1 && got[part.length] === "" && got.every((g, j) => j === part.length || g !== "");
    if (aligned) out.push(...got.slice(0, part.length));
    else out.push(...part.map(espeakOne)); // a long clause was split: one call each
  }
  return out;
}

/**
 * Reference phoneme string for each chunk text: clauses (from the front end's
 * utteranceClauses) phonemised one by one, marks appended, joined by spaces.
 */
export function referenceChunks(chunkTexts, utteranceClauses) {
  const clauses = chunkTexts.map((t) => utteranceClauses(t));
  const ipa = espeakLines(clauses.flat().map((c) => c.words.join(" ")));
  let k = 0;
  return clauses.map((cs) => cs.map((c) => ipa[k++] + c.mark).join(" "));
}
