// Benchmark: normalise + chunk + phonemise 1,000 characters of mixed English,
// in workerd (one thread, via Miniflare) and in Node, printed side by side.
//   npm run bench:frontend            (= node tools/bench-frontend.mjs)
//   node tools/bench-frontend.mjs --iters 500 --rounds 5 --json
// The worker is src/text + src/phonemes + tools/bench-frontend-loop.mjs bundled
// with esbuild; its first request in a fresh isolate gives the cold first call.
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFrontend } from "./load-frontend.mjs";
import { benchFrontend } from "./bench-frontend-loop.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const opts = { warmup: arg("--warmup", 50), iters: arg("--iters", 500), rounds: arg("--rounds", 5) };
const LIMIT_MS = 5; // the target for 1,000 characters in workerd

async function workerdBench() {
  const entry =
    `import { planChunks } from ${JSON.stringify(join(root, "src/text/index.ts"))};\n` +
    `import { phonemizeChunk } from ${JSON.stringify(join(root, "src/phonemes/index.ts"))};\n` +
    `import { benchFrontend } from ${JSON.stringify(join(root, "tools/bench-frontend-loop.mjs"))};\n` +
    `export default { async fetch(req) {\n` +
    `  const o = Object.fromEntries(new URL(req.url).searchParams);\n` +
    `  const r = benchFrontend({ planChunks, phonemizeChunk }, { warmup: +o.warmup, iters: +o.iters, rounds: +o.rounds });\n` +
    `  return Response.json(r);\n` +
    `} };\n`;
  const out = await build({
    stdin: { contents: entry, resolveDir: root, loader: "js", sourcefile: "bench-frontend-worker.js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "error",
  });
  const script = out.outputFiles[0].text;
  // same compatibility date as the worker itself
  const compatibility_date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "wrangler.toml"), "utf8"))[1];
  const mf = new Miniflare({ modules: true, script, compatibilityDate: compatibility_date });
  try {
    const q = new URLSearchParams(Object.entries(opts).map(([k, v]) => [k, String(v)]));
    const res = await mf.dispatchFetch(`http://bench/?${q}`);
    if (!res.ok) throw new Error(`worker answered ${res.status}: ${await res.text()}`);
    return { ...(await res.json()), bundleBytes: script.length };
  } finally {
    await mf.dispose();
  }
}

const workerd = await workerdBench();
const node = benchFrontend(await loadFrontend(), opts);

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ workerd, node }, null, 2));
} else {
  const f = (x) => x.toFixed(3);
  const line = (name, r) =>
    `${name.padEnd(30)} ${f(r.medianMs).padStart(7)} ms   (rounds ${r.roundMs.map(f).join(" / ")})   first call ${f(r.coldMs)} ms`;
  console.log(
    `normalise+chunk+phonemise ${workerd.chars} chars (${workerd.ids} ids); median of ${opts.rounds} rounds x ${opts.iters} calls after ${opts.warmup} warm-up calls`,
  );
  console.log(line("workerd (Miniflare, 1 thread)", workerd));
  console.log(line("Node " + process.version, node));
  console.log(
    `workerd target < ${LIMIT_MS} ms: ${workerd.medianMs < LIMIT_MS ? "PASS" : "FAIL"}` +
      ` (workerd clock ticks in whole ms, so its first-call figure is rounded to 1 ms)`,
  );
}
