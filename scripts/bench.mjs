// Benchmarks the worker under `wrangler dev` (local workerd): time to first audio, RTF at 1 and 4 concurrent
// streams, cold vs warm, memory of the serving isolate, and the deployable bundle's gzip size.
// Usage: npm run bench [-- --port 8799 --inspector-port 9799]
// Starts its own `wrangler dev` unless BENCH_URL points at a running one (then BENCH_INSPECTOR=ws://host:port/ws, the
// `wrangler dev --inspector-port` socket, adds the JS heap to the memory figure).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSize, formatBundle } from './check-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
const port = arg('--port') || 8799;
const inspectorPort = arg('--inspector-port') || port + 1000;
const base = process.env.BENCH_URL ?? `http://127.0.0.1:${port}`;
const inspectorUrl = process.env.BENCH_URL ? process.env.BENCH_INSPECTOR : `ws://127.0.0.1:${inspectorPort}/ws`;
/** Cloudflare's per-isolate memory limit; MB = 10^6 bytes here (as for the bundle), the stricter reading of "128 MB". */
const MEMORY_LIMIT = 128e6;
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
    let wireBytes = 0;
    ws.onopen = () => {
      t0 = performance.now();
      ws.send(JSON.stringify({ type: 'speak', id: 'b', text, voice, ...opts }));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        if (!first) first = performance.now();
        bytes += ev.data.byteLength - 4;
        wireBytes += ev.data.byteLength;
        return;
      }
      const m = JSON.parse(ev.data);
      if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
      if (m.type === 'done') {
        const total = performance.now() - t0;
        ws.close();
        resolve({ ttfaMs: first - t0, totalMs: total, audioMs: m.audioMs, rtf: total / m.audioMs, wireBytes, server: m });
      }
    };
    ws.onerror = (e) => reject(new Error(`socket error ${e.message ?? ''}`));
  });
}

/**
 * The V8 inspector of the worker's isolate (wrangler's inspector proxy; it wants an Origin on its allow-list).
 * `Runtime.getHeapUsage` gives the JS heap (usedSize, totalSize = reserved) and backingStorageSize (ArrayBuffer
 * backing stores: the bundled model/voice Data modules, audio buffers); ORT's wasm linear memory is in neither, so it
 * is read from `/healthz` (`memory.wasmBytes`).
 */
async function connectInspector(url) {
  const ws = new WebSocket(url, { headers: { Origin: 'http://127.0.0.1' } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  };
  const call = (method) =>
    new Promise((resolve, reject) => {
      const i = ++id;
      pending.set(i, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      ws.send(JSON.stringify({ id: i, method }));
    });
  return { heapUsage: () => call('Runtime.getHeapUsage'), close: () => ws.close() };
}

/** Samples the JS heap every ~50 ms until stopped; keeps the peaks. */
function sampleHeap(inspector) {
  const peak = { used: 0, total: 0, backing: 0, samples: 0 };
  let running = !!inspector;
  const done = (async () => {
    while (running) {
      const u = await inspector.heapUsage();
      peak.used = Math.max(peak.used, u.usedSize + (u.backingStorageSize ?? 0));
      peak.total = Math.max(peak.total, u.totalSize + (u.backingStorageSize ?? 0));
      peak.backing = Math.max(peak.backing, u.backingStorageSize ?? 0);
      peak.samples++;
      await sleep(50);
    }
  })();
  return async () => {
    running = false;
    await done;
    return peak;
  };
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

function formatMemory(heap, mem) {
  const wasm = mem.wasmBytes + (mem.opusWasmBytes ?? 0);
  const note = mem.wasmBytes < mem.modelBytes ? ' (IMPLAUSIBLE: less than the model bytes)' : '';
  const wasmPart = `ORT wasm linear memory ${mb(mem.wasmBytes)}${note} (models ${mb(mem.modelBytes)}; it only grows, so this is its peak) + libopus wasm memory ${mb(mem.opusWasmBytes ?? 0)}`;
  if (!heap) {
    return `memory per isolate after 4 concurrent paragraphs: ${wasmPart}; JS heap not measured (no inspector), so no PASS/FAIL versus ${mb(MEMORY_LIMIT)}`;
  }
  const worst = heap.total + wasm;
  return (
    `memory per isolate, peak during 4 concurrent paragraphs (${heap.samples} samples): ${mb(heap.used + wasm)} used, ${mb(worst)} reserved ` +
    `= JS heap + ArrayBuffers ${mb(heap.used)} used / ${mb(heap.total)} reserved (of which ArrayBuffers ${mb(heap.backing)}) + ${wasmPart}; ` +
    `limit ${mb(MEMORY_LIMIT)}: ${worst < MEMORY_LIMIT ? 'PASS' : 'FAIL'} (on the reserved figure)`
  );
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

/** The paragraph in each wire format, side by side: what a weak link has to carry per second of audio. */
async function formats(voice) {
  const rows = [
    ['pcm16 22050 Hz', {}],
    ['pcm16 16000 Hz', { sampleRate: 16000 }],
    ['opus 16 kbit/s', { format: 'opus', bitrate: 16000 }],
    ['opus 24 kbit/s', { format: 'opus', bitrate: 24000 }],
    ['opus 32 kbit/s', { format: 'opus', bitrate: 32000 }],
  ];
  console.log('formats (3-sentence paragraph; bytes are whole WebSocket binary frames, framing included):');
  for (const [name, opts] of rows) {
    const r = await speak(PARAGRAPH, voice, opts);
    const perSecond = r.wireBytes / (r.audioMs / 1000);
    console.log(`  ${name.padEnd(15)} ${Math.round(perSecond).toLocaleString('en').padStart(7)} B per audio second = ${((perSecond * 8) / 1000).toFixed(1).padStart(5)} kbit/s; TTFA ${r.ttfaMs.toFixed(0)} ms, RTF ${r.rtf.toFixed(3)}`);
  }
}

async function main() {
  let dev;
  let state;
  if (!process.env.BENCH_URL) {
    execFileSync('node', [join(root, 'scripts', 'gen-models.mjs')], { stdio: 'inherit' });
    // A fresh local state and high per-token limits: the bench measures speed, and socket leases left in
    // .wrangler/state by earlier runs would otherwise refuse its sockets (429 too_many_sockets).
    state = mkdtempSync(join(tmpdir(), 'bench-state-'));
    const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspectorPort), '--persist-to', state];
    args.push('--var', 'MAX_SOCKETS_PER_TOKEN:1000', '--var', 'AUDIO_SECONDS_PER_MINUTE:100000');
    dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  let inspector;
  try {
    const health = await waitHealthy();
    console.log(`cold start: first /healthz ${health.coldMs.toFixed(0)} ms (model sessions created + warmed in ${health.body.loadMs} ms), warm /healthz ${health.warmMs.toFixed(0)} ms (${health.body.source}, model ${health.body.model.version}; ORT wasm memory after load ${mb(health.body.memory.wasmBytes)})`);
    if (inspectorUrl) {
      inspector = await connectInspector(inspectorUrl).catch((e) => console.error(`inspector: ${e.message}; JS heap not measured`));
    }
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
    await formats(voice);
    const stopSampling = sampleHeap(inspector);
    // Two PCM and two Opus streams, so the memory figure includes libopus.
    const four = await Promise.all([{}, {}, { format: 'opus' }, { format: 'opus' }].map((o) => speak(PARAGRAPH, voice, o)));
    const heap = inspector ? await stopSampling() : undefined;
    const { memory } = await (await fetch(`${base}/healthz`)).json();
    const wall = Math.max(...four.map((r) => r.totalMs));
    const audio = four.reduce((s, r) => s + r.audioMs, 0);
    console.log(`4 concurrent paragraphs (2 pcm16, 2 opus): per-stream RTF ${four.map((r) => r.rtf.toFixed(3)).join(', ')}; TTFA ${four.map((r) => r.ttfaMs.toFixed(0)).join(', ')} ms; aggregate RTF ${(wall / audio).toFixed(3)}`);
    console.log(formatMemory(heap, memory));
    console.log(formatBundle(buildAndSize()));
  } finally {
    inspector?.close();
    dev?.kill('SIGTERM');
    if (state) setTimeout(() => rmSync(state, { recursive: true, force: true }), 1000);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
