// `npm run bench:opus`: Opus on real TTS output. Fetches a paragraph from the worker over HTTP (pcm16 at 22050 and
// 24000 Hz, Ogg Opus at 16/24/32 kbit/s) and prints bytes per second of audio per format; then times the libopus
// wasm encoder (the Worker's code, bundled here with esbuild, one thread in Node's V8) on that speech at each
// complexity: ms of CPU per second of audio, and the decoded waveform's correlation with its input.
// Starts its own `wrangler dev` unless BENCH_URL points at a running one. BENCH_OPUS_OUT=dir keeps the Ogg files
// (e.g. to check them with opusinfo/opusdec from opus-tools).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mintToken } from './lib/mint-token.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = 8797;
const base = process.env.BENCH_URL ?? `http://127.0.0.1:${port}`;
// Its own wrangler dev gets a fresh AUTH_SECRET and the bench signs its own token; against BENCH_URL, set TTS_TOKEN.
const secret = randomBytes(24).toString('base64url');
const token = process.env.BENCH_URL ? (process.env.TTS_TOKEN ?? '') : mintToken(secret, { sub: 'bench-opus', ttlSeconds: 3600 });
const auth = { Authorization: `Bearer ${token}` };
const PARAGRAPH =
  'The old lighthouse stood at the edge of the cliff, its lamp long dark. Every evening the keeper climbed the stairs anyway, counting each step out loud. Nobody knew why, and he never said.';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitUp(timeoutMs = 120_000) {
  for (const t0 = Date.now(); ; await sleep(300)) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {}
    if (Date.now() - t0 > timeoutMs) throw new Error('worker did not start');
  }
}

async function speech(body) {
  const res = await fetch(`${base}/v1/audio/speech`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify({ input: PARAGRAPH, ...body }) });
  if (!res.ok) throw new Error(`speech ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The Worker's Opus library, bundled from TypeScript for Node. */
async function loadOpus() {
  const out = await build({ entryPoints: [join(root, 'src/audio/opus/index.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false });
  const lib = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const runtime = lib.opusRuntime(new WebAssembly.Module(readFileSync(join(root, 'node_modules/@evan/opus/wasm/opus.wasm'))));
  return { lib, runtime };
}

function encodeTimed(lib, runtime, x, opts) {
  const enc = new lib.OpusStreamEncoder(runtime, opts);
  const t0 = process.cpuUsage();
  const packets = [];
  for (let i = 0; i < x.length; i += 2400) packets.push(...enc.push(x.subarray(i, i + 2400))); // 100 ms pieces, as served
  packets.push(...enc.flush());
  const cpu = process.cpuUsage(t0);
  enc.free();
  return { packets, cpuMs: (cpu.user + cpu.system) / 1000, preSkip: enc.preSkip };
}

function correlation(lib, runtime, x, packets, preSkip) {
  const dec = new lib.OpusStreamDecoder(runtime);
  const y = packets.flatMap((p) => [...dec.decode(p)]);
  dec.free();
  let best = -1;
  for (let lag = preSkip - 48; lag <= preSkip + 48; lag++) {
    let xy = 0, xx = 0, yy = 0;
    for (let i = 0; i < x.length; i++) {
      const b = y[2 * i + lag] ?? 0;
      xy += x[i] * b;
      xx += x[i] * x[i];
      yy += b * b;
    }
    best = Math.max(best, xy / Math.sqrt(xx * yy));
  }
  return best;
}

async function main() {
  let dev, state;
  if (!process.env.BENCH_URL) {
    execFileSync('node', [join(root, 'scripts', 'gen-models.mjs')], { stdio: 'inherit' });
    state = mkdtempSync(join(tmpdir(), 'bench-opus-state-'));
    const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(port + 1000), '--persist-to', state];
    args.push('--var', 'AUDIO_SECONDS_PER_MINUTE:100000', '--var', `AUTH_SECRET:${secret}`);
    dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  try {
    await waitUp();
    const { voices } = await (await fetch(`${base}/v1/voices`, { headers: auth })).json();
    const voice = voices[0].id;
    const pcm22 = await speech({ voice, response_format: 'pcm', sample_rate: 22050 });
    const seconds = pcm22.length / 2 / 22050;
    console.log(`bytes per second of audio, HTTP bodies (${seconds.toFixed(2)} s of speech):`);
    console.log(`  pcm16 22050 Hz    ${Math.round(pcm22.length / seconds).toLocaleString('en').padStart(6)} B/s  ${((pcm22.length * 8) / seconds / 1000).toFixed(1).padStart(5)} kbit/s`);
    for (const bitrate of [16000, 24000, 32000]) {
      const ogg = await speech({ voice, response_format: 'opus', bitrate });
      if (process.env.BENCH_OPUS_OUT) writeFileSync(join(process.env.BENCH_OPUS_OUT, `paragraph-${bitrate / 1000}k.opus`), ogg);
      console.log(`  ogg opus ${bitrate / 1000} kbit/s ${Math.round(ogg.length / seconds).toLocaleString('en').padStart(6)} B/s  ${((ogg.length * 8) / seconds / 1000).toFixed(1).padStart(5)} kbit/s (Ogg pages included)`);
    }
    const pcm24 = await speech({ voice, response_format: 'pcm', sample_rate: 24000 });
    const x = new Float32Array(pcm24.length / 2);
    const v = new DataView(pcm24.buffer);
    for (let i = 0; i < x.length; i++) x[i] = v.getInt16(2 * i, true) / 32768;

    const { lib, runtime } = await loadOpus();
    console.log(`encoder cost on that speech at 24 kHz (Node ${process.version}, one thread; median of 5 runs):`);
    for (const bitrate of [16000, 24000, 32000]) {
      for (const complexity of [0, 3, 5, 7, 9, 10]) {
        encodeTimed(lib, runtime, x, { bitrate, complexity }); // warm the JIT for this path
        const runs = Array.from({ length: 5 }, () => encodeTimed(lib, runtime, x, { bitrate, complexity }));
        const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b)[2];
        const { packets, preSkip } = runs[0];
        const bytes = packets.reduce((s, p) => s + p.length, 0);
        const mark = complexity === lib.OPUS_COMPLEXITY ? ' (chosen)' : '';
        console.log(
          `  ${bitrate / 1000} kbit/s complexity ${String(complexity).padStart(2)}: ${(cpu / seconds).toFixed(2).padStart(6)} ms CPU per s of audio (RTF ${(cpu / 1000 / seconds).toFixed(4)}), ` +
            `${Math.round(bytes / seconds)} B/s of packets, waveform correlation ${correlation(lib, runtime, x, packets, preSkip).toFixed(3)}${mark}`,
        );
      }
    }
  } finally {
    dev?.kill('SIGTERM');
    if (state) setTimeout(() => rmSync(state, { recursive: true, force: true }), 1000);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
