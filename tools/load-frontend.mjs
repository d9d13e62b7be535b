// Loads the TypeScript front end (src/text + src/phonemes) in plain Node by
// bundling it with esbuild (already installed with wrangler) into a temp file.
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** @returns {Promise<{planChunks: Function, IncrementalChunker: any, phonemizeChunk: Function, splitClauses: Function, utteranceClauses: Function}>} */
export async function loadFrontend() {
  const dir = mkdtempSync(join(tmpdir(), "frontend-"));
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    `export { planChunks, IncrementalChunker } from ${JSON.stringify(join(root, "src/text/index.ts"))};\n` +
      `export { phonemizeChunk, splitClauses, utteranceClauses } from ${JSON.stringify(join(root, "src/phonemes/index.ts"))};\n`,
  );
  const outfile = join(dir, "frontend.mjs");
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", outfile, logLevel: "error" });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
