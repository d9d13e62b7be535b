// Times the shipped graphs outside the Worker, one thread, in a fresh process: onnxruntime-web's wasm backend in Node
// (`--runtime web`, what the Worker runs) or native onnxruntime (`--runtime native`, onnxruntime-node, benchmarks
// only), so `npm run bench` can put the Worker's RTF beside the same graphs' native RTF in one run.
//   node scripts/bench-graphs.mjs [--runtime web|native] [--acoustic file] [--vocoder file] [--opt level]
//        [--window 86] [--sentences 60] [--json] [--durations out.json]
// Prints (or, with --json, writes one JSON line with) per model: session creation, first, second and tenth run of
// realistic sizes (a 97-id chunk; the vocoder's first call of a run); then over the dev sentences
// (distill/reports/dev-ids.json): acoustic time, vocoder time on whole chunks (one streaming call per chunk) and with
// the Worker's windowing (first window 7 frames, doubling up to --window, each call through the inverse STFT's reach
// plus the phase's look-ahead, state carried between calls as src/model/vocoder-stream.ts does), and frames vocoded
// per frame output. The JS inverse STFT is not included. Times are this process's CPU time unless
// --clock wall.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'web' },
    acoustic: { type: 'string' },
    vocoder: { type: 'string' },
    models: { type: 'string', default: join(root, 'models-int8') },
    opt: { type: 'string' },
    window: { type: 'string', default: '86' },
    'first-window': { type: 'string', default: '7' },
    sentences: { type: 'string' },
    json: { type: 'boolean', default: false },
    durations: { type: 'string' },
    clock: { type: 'string', default: 'cpu' },
  },
});

const ort = opt.runtime === 'native' ? (await import('onnxruntime-node')).default : await import('onnxruntime-web');
if (opt.runtime !== 'native') {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
}
const manifest = JSON.parse(readFileSync(join(opt.models, 'manifest.json'), 'utf8'));
const acousticPath = opt.acoustic ?? join(opt.models, manifest.acoustic.file);
const vocoderPath = opt.vocoder ?? join(opt.models, manifest.vocoder.file);
// The Worker's setting (src/model/ort.ts) unless asked otherwise: pre-optimised files need no re-optimising.
const level = opt.opt ?? (manifest.optimized ? 'disabled' : 'all');
const sessionOptions =
  opt.runtime === 'native'
    ? { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: level }
    : { executionProviders: ['wasm'], graphOptimizationLevel: level };
const { lookaheadFrames: lookahead, layers, stateShape } = manifest.vocoder.streaming;
const reach = Math.ceil(manifest.nFft / 2 / manifest.hopSize);
const dev = JSON.parse(readFileSync(join(root, 'distill/reports/dev-ids.json'), 'utf8'));
const sentences = dev.slice(0, Number(opt.sentences ?? dev.length));
const raw = readFileSync(join(opt.models, manifest.voices[0].file));
const voice = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));

// CPU time of this process by default: the machine is shared, and wall time would count other processes' turns.
const now = opt.clock === 'wall' ? () => performance.now() : () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function timed(f) {
  const t = now();
  const r = await f();
  return [now() - t, r];
}

const [acousticCreate, acoustic] = await timed(() => ort.InferenceSession.create(readFileSync(acousticPath), sessionOptions));
const [vocoderCreate, vocoder] = await timed(() => ort.InferenceSession.create(readFileSync(vocoderPath), sessionOptions));

const runAcoustic = (ids) =>
  acoustic.run({
    ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    voice: new ort.Tensor('float32', voice, [1, voice.length]),
    length_scale: new ort.Tensor('float32', Float32Array.of(1), [1]),
  });

/**
 * One run's vocoder calls as src/model/vocoder-stream.ts makes them: call i returns frames through `throughs[i]`,
 * fed the frames it needs (zeros past the run: the look-ahead flush) with the state of the call before. Returns
 * [calls, frames vocoded].
 */
async function vocodeStream(features, throughs) {
  const [, c, n] = features.dims;
  let state = new Float32Array(stateShape.reduce((a, b) => a * b, 1));
  let fed = 0;
  let vocoded = 0;
  for (const through of throughs) {
    const m = Math.min(through, n - 1) + 1 + lookahead - fed;
    if (m <= 0) continue;
    const input = new Float32Array(c * m);
    const real = Math.max(0, Math.min(m, n - fed));
    for (let ch = 0; ch < c; ch++) input.set(features.data.subarray(ch * n + fed, ch * n + fed + real), ch * m);
    const keep = new Float32Array(layers * m);
    for (let i = 0; i < layers; i++) {
      for (let j = 0; j < m; j++) {
        const pos = fed - (lookahead / layers) * (i + 1) + j;
        keep[i * m + j] = pos >= 0 && pos < n ? 1 : 0;
      }
    }
    const out = await vocoder.run({
      features: new ort.Tensor('float32', input, [1, c, m]),
      state: new ort.Tensor('float32', state, stateShape),
      keep: new ort.Tensor('float32', keep, [layers, m]),
    });
    state = out.state_out.data;
    fed += m;
    vocoded += m;
  }
  return [throughs.length, vocoded];
}

/** The Worker's windows (src/stream/synthesize.ts): the last frame each vocoder call must reach. */
function windowThroughs(n) {
  const out = [];
  for (let a = 0, size = Number(opt['first-window']); a < n; a += size, size = Math.min(Number(opt.window), size * 2)) {
    out.push(Math.min(n - 1, a + size + reach));
  }
  return out;
}

// Tier-up: first, second and tenth run at realistic sizes, on a fresh process.
const probeIds = [...sentences].sort((x, y) => Math.abs(x.ids.length - 97) - Math.abs(y.ids.length - 97))[0].ids;
const acousticRuns = [];
let probeFeatures;
for (let i = 0; i < 10; i++) {
  const [ms, out] = await timed(() => runAcoustic(probeIds));
  acousticRuns.push(ms);
  probeFeatures = out.features;
}
// The first call of a run: the first window, its reach and the look-ahead.
const probeFrames = Number(opt['first-window']) + reach + 1 + lookahead;
const vocoderRuns = [];
for (let i = 0; i < 10; i++) vocoderRuns.push((await timed(() => vocodeStream(probeFeatures, [Number(opt['first-window']) + reach])))[0]);

let tAcoustic = 0;
let tWhole = 0;
let tWindowed = 0;
let frames = 0;
let vocoded = 0;
let runs = 0;
const durations = [];
for (const { ids } of sentences) {
  const [ta, out] = await timed(() => runAcoustic(ids));
  tAcoustic += ta;
  durations.push(Array.from(out.durations.data, Number));
  frames += out.features.dims[2];
  tWhole += (await timed(() => vocodeStream(out.features, [out.features.dims[2] - 1])))[0];
  const [tw, [r, v]] = await timed(() => vocodeStream(out.features, windowThroughs(out.features.dims[2])));
  tWindowed += tw;
  runs += r;
  vocoded += v;
}
if (opt.durations) writeFileSync(opt.durations, JSON.stringify(durations));
const audioMs = (frames * manifest.hopSize * 1000) / manifest.sampleRate;
const result = {
  runtime: opt.runtime === 'native' ? `onnxruntime-node ${ort.env.versions?.common ?? ''}` : `onnxruntime-web ${ort.env.versions?.web ?? ''} wasm`,
  graphOptimizationLevel: level,
  clock: opt.clock,
  sentences: sentences.length,
  audioSeconds: audioMs / 1000,
  acoustic: { createMs: acousticCreate, runsMs: acousticRuns, probeIds: probeIds.length, rtf: tAcoustic / audioMs },
  vocoder: { createMs: vocoderCreate, runsMs: vocoderRuns, probeFrames, rtfWhole: tWhole / audioMs, rtfWindowed: tWindowed / audioMs },
  windows: { first: Number(opt['first-window']), largest: Number(opt.window), runs, framesVocoded: vocoded, framesOutput: frames, perFrameOutput: vocoded / frames },
  rtfWhole: (tAcoustic + tWhole) / audioMs,
  rtfWindowed: (tAcoustic + tWindowed) / audioMs,
};
if (opt.json) {
  console.log(JSON.stringify(result));
} else {
  const f = (xs) => `first ${xs[0].toFixed(0)} ms, second ${xs[1].toFixed(0)} ms, tenth ${xs[9].toFixed(0)} ms`;
  console.log(`${result.runtime}, 1 thread, graphOptimizationLevel ${level}, ${opt.clock} time; ${sentences.length} sentences, ${result.audioSeconds.toFixed(1)} s of audio`);
  console.log(`acoustic: session ${acousticCreate.toFixed(0)} ms; ${probeIds.length} ids: ${f(acousticRuns)}; RTF ${result.acoustic.rtf.toFixed(4)}`);
  console.log(`vocoder: session ${vocoderCreate.toFixed(0)} ms; ${result.vocoder.probeFrames} frames: ${f(vocoderRuns)}; RTF whole ${result.vocoder.rtfWhole.toFixed(4)}, windowed ${result.vocoder.rtfWindowed.toFixed(4)}`);
  console.log(`windows ${result.windows.first}..${result.windows.largest} frames: ${runs} runs, ${vocoded} frames vocoded for ${frames} output = ${result.windows.perFrameOutput.toFixed(2)} per frame output`);
  console.log(`total RTF: whole chunks ${result.rtfWhole.toFixed(4)}, Worker windowing ${result.rtfWindowed.toFixed(4)}`);
}
