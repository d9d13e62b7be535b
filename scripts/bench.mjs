// Benchmarks the worker under `wrangler dev` (local workerd): time to first audio, RTF at 1 and 4 concurrent
// streams, cold vs warm, and the deployable bundle's gzip size. Usage: npm run bench [-- --port 8799]
// Starts its own `wrangler dev` unless BENCH_URL points at a running one.
import { spawn, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSize, formatBundle } from './check-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.argv[process.argv.indexOf('--port') + 1]) || 8799;
const base = process.env.BENCH_URL ?? `http://127.0.0.1:${port}`;
const PARAGRAPH =
  'The old lighthouse stood at the edge of the cliff, its lamp long dark. Every evening the keeper climbed the stairs anyway, counting each step out loud. Nobody knew why, and he never said.';
const SENTENCE = 'Streaming speech should start almost at once.';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits for the worker to answer `/` (no model work), then times the first `/healthz` (isolate's model load). */
async function waitHealthy(timeoutMs = 120_000) {
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${base}/`)).ok) break;
    } catch {}
    if (Date.now() - t0 > timeoutMs) throw new Error('worker did not start');
    await sleep(200);
  }
  const t1 = performance.now();
  const r = await fetch(`${base}/healthz`);
  if (!r.ok) throw new Error(`/healthz answered ${r.status}`);
  const body = await r.json();
  const cold = performance.now() - t1;
  const t2 = performance.now();
  await fetch(`${base}/healthz`);
  return { coldMs: cold, warmMs: performance.now() - t2, body };
}

/** One speak request on its own socket; times measured at the client. */
function speak(text, voice, opts = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/stream`);
    ws.binaryType = 'arraybuffer';
    let t0 = 0;
    let first = 0;
    let bytes = 0;
    ws.onopen = () => {
      t0 = performance.now();
      ws.send(JSON.stringify({ type: 'speak', id: 'b', text, voice, ...opts }));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        if (!first) first = performance.now();
        bytes += ev.data.byteLength - 4;
        return;
      }
      const m = JSON.parse(ev.data);
      if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
      if (m.type === 'done') {
        const total = performance.now() - t0;
        ws.close();
        resolve({ ttfaMs: first - t0, totalMs: total, audioMs: m.audioMs, rtf: total / m.audioMs, server: m });
      }
    };
    ws.onerror = (e) => reject(new Error(`socket error ${e.message ?? ''}`));
  });
}

const fmt = (r) => `TTFA ${r.ttfaMs.toFixed(0)} ms, total ${r.totalMs.toFixed(0)} ms, audio ${(r.audioMs / 1000).toFixed(2)} s, RTF ${r.rtf.toFixed(3)}`;

function buildAndSize() {
  const out = join(root, 'dist-bench');
  rmSync(out, { recursive: true, force: true });
  execFileSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', out], { cwd: root, stdio: 'ignore' });
  const size = bundleSize(out);
  rmSync(out, { recursive: true, force: true });
  return size;
}

async function main() {
  let dev;
  if (!process.env.BENCH_URL) {
    execFileSync('node', [join(root, 'scripts', 'gen-models.mjs')], { stdio: 'inherit' });
    dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), ['dev', '--port', String(port), '--ip', '127.0.0.1'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  try {
    const health = await waitHealthy();
    console.log(`cold start: first /healthz ${health.coldMs.toFixed(0)} ms (model sessions created + warmed in ${health.body.loadMs} ms), warm /healthz ${health.warmMs.toFixed(0)} ms (${health.body.source}, model ${health.body.model.version})`);
    const { voices } = await (await fetch(`${base}/v1/voices`)).json();
    const voice = voices[0].id;
    const cold = await speak(SENTENCE, voice);
    console.log(`first request after start (warm sessions, cold JIT): ${fmt(cold)}`);
    const one = [];
    for (let i = 0; i < 3; i++) one.push(await speak(SENTENCE, voice));
    const med = (xs, k) => xs.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`one sentence (median of 3): TTFA ${med(one, 'ttfaMs').toFixed(0)} ms, RTF ${med(one, 'rtf').toFixed(3)}`);
    const para = await speak(PARAGRAPH, voice);
    console.log(`3-sentence paragraph: ${fmt(para)}`);
    const four = await Promise.all([0, 1, 2, 3].map(() => speak(PARAGRAPH, voice)));
    const wall = Math.max(...four.map((r) => r.totalMs));
    const audio = four.reduce((s, r) => s + r.audioMs, 0);
    console.log(`4 concurrent paragraphs: per-stream RTF ${four.map((r) => r.rtf.toFixed(3)).join(', ')}; TTFA ${four.map((r) => r.ttfaMs.toFixed(0)).join(', ')} ms; aggregate RTF ${(wall / audio).toFixed(3)}`);
    console.log(formatBundle(buildAndSize()));
  } finally {
    dev?.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
