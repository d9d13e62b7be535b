// Phoneme error rate of the TS front end against espeak-ng on held-out fortunes
// (every 10th fortune; the G2P never saw them). Both sides read the same
// normalised chunks, so this measures the phonemiser, not the normaliser.
//   node tools/g2p/per.mjs [--limit N] [--show K] [--file texts.txt]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFrontend } from "../load-frontend.mjs";
import { referenceChunks } from "../espeak-ref.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

const { planChunks, phonemizeChunk, splitClauses, utteranceClauses } = await loadFrontend();
// --file F: one text per line instead (e.g. an evaluation set; never a build input).
const fileIdx = process.argv.indexOf("--file");
const texts = (fileIdx >= 0
  ? readFileSync(process.argv[fileIdx + 1], "utf8").split("\n").filter((l) => l.trim())
  : spawnSync("python3", [join(here, "heldout.py")], { encoding: "utf8", maxBuffer: 1 << 28 })
      .stdout.trim().split("\n").map((l) => JSON.parse(l))
).slice(0, arg("--limit", Infinity));
// Sentence = consecutive chunks of one text up to one ending in . ? ! (or the text's end).
const sentenceOf = [];
let sentences = 0;
const chunks = texts.flatMap((t) => {
  const cs = planChunks(t);
  cs.forEach((c, j) => {
    sentenceOf.push(sentences);
    if (/[.?!]$/.test(c.text) || j === cs.length - 1) sentences++;
  });
  return cs;
});
const sentenceBad = new Set();
const refs = referenceChunks(chunks.map((c) => c.text), utteranceClauses);

let edits = 0, refLen = 0, chunkOk = 0, clauseOk = 0, clauseN = 0;
const bad = [];
chunks.forEach((chunk, i) => {
  const hyp = [...phonemizeChunk(chunk).phonemes];
  const ref = [...refs[i]];
  const d = editDistance(hyp, ref);
  edits += d;
  refLen += ref.length;
  if (d === 0) chunkOk++;
  else {
    bad.push({ text: chunk.text, hyp: hyp.join(""), ref: ref.join("") });
    sentenceBad.add(sentenceOf[i]);
  }
  // Clause agreement: compare clause by clause (clauses are joined by " " after a mark).
  const hc = hyp.join("").split(/(?<=[,.?!]) /u), rc = ref.join("").split(/(?<=[,.?!]) /u);
  clauseN += splitClauses(chunk.text).length;
  if (hc.length === rc.length) hc.forEach((h, j) => (clauseOk += h === rc[j] ? 1 : 0));
});
console.log(`${fileIdx >= 0 ? process.argv[fileIdx + 1] : "held-out fortunes"}: ${texts.length} texts, chunks: ${chunks.length}, clauses: ${clauseN}, reference phonemes: ${refLen}`);
console.log(`PER (codepoint edit distance / reference length): ${((100 * edits) / refLen).toFixed(2)}%`);
const pct = (a, b) => `${((100 * a) / b).toFixed(1)}%`;
console.log(`exact agreement: sentences ${pct(sentences - sentenceBad.size, sentences)} of ${sentences}, chunks ${pct(chunkOk, chunks.length)}, clauses ${pct(clauseOk, clauseN)}`);
for (const b of bad.slice(0, arg("--show", 0))) console.log(`\n${b.text}\n  ours: ${b.hyp}\n  ref:  ${b.ref}`);
