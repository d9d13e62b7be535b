#!/usr/bin/env node
// The serving front end as a line filter, so training text is normalised and
// chunked exactly as the Worker does it.
//   node tools/frontend-cli.mjs [--espeak] [--ids] < raw.txt > chunks.jsonl
// Each input line (raw text) → one JSON line {"chunks":[{"text","phonemes"}]}:
//   text      normalised chunk text (clauses with their marks , . ? !); its phonemes
//             end in . ? ! as distill/phonemize.py trains (a final "," or no mark → ".")
//   phonemes  this repo's G2P (what the Worker feeds the model)
//   espeak    with --espeak: espeak-ng per the training contract, for the same text
//   ids       with --ids: Piper ids of `phonemes`
import { createInterface } from "node:readline";
import { loadFrontend } from "./load-frontend.mjs";
import { referenceChunks } from "./espeak-ref.mjs";

const withEspeak = process.argv.includes("--espeak");
const withIds = process.argv.includes("--ids");
const { planChunks, phonemizeChunk, utteranceClauses } = await loadFrontend();

const BATCH = 500;
let lines = [];

function flush() {
  const planned = lines.map((l) => planChunks(l));
  const refs = withEspeak ? referenceChunks(planned.flat().map((c) => c.text), utteranceClauses) : [];
  let k = 0;
  for (const chunks of planned) {
    const out = chunks.map((c) => {
      const p = phonemizeChunk(c);
      const row = { text: c.text, phonemes: p.phonemes };
      if (withEspeak) row.espeak = refs[k++];
      if (withIds) row.ids = p.ids;
      return row;
    });
    process.stdout.write(JSON.stringify({ chunks: out }) + "\n");
  }
  lines = [];
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  lines.push(line);
  if (lines.length >= BATCH) flush();
}
flush();
