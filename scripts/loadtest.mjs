// Load test against `wrangler dev` on loopback: N concurrent sockets, each speaking a paragraph (R times in a row).
// Reports throughput (audio seconds per wall second), p50/p95 time to first audio, errors, and checks that nothing is
// lost: every accepted request ends with `done`, chunks are contiguous from 0, and each request's audio has exactly
// the length of the same request spoken alone (and, the model being deterministic, the same bytes).
//   npm run loadtest -- [--sockets 8] [--requests 2] [--port 8798] [--soak 600] [--report-every 30] [--paced]
//   npm run loadtest -- --abuse [--wasm-ceiling-mb 64]
// --abuse runs attacks on the isolate (scripts/loadtest-abuse.mjs) while victim streams speak, at the default limits.
// --soak S keeps the sockets busy for S seconds and reports memory (workerd RSS) and error growth per interval.
// Starts its own `wrangler dev` on 127.0.0.1 (limits raised so the load test measures synthesis, not the limiter)
// unless LOADTEST_URL points at one already running, which must be a loopback address. Stops by itself.
// This client reads every frame but plays nothing, so by default pacing (AUDIO_LEAD_SECONDS) is lifted too, to measure
// synthesis capacity; --paced keeps wrangler.toml's value (each socket then settles at real time once 60 s ahead).
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDevVar } from './lib/dev-vars.mjs';
import { mintToken } from './lib/mint-token.mjs';
import { freshSecret, runAbuse } from './loadtest-abuse.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    sockets: { type: 'string', default: '8' },
    requests: { type: 'string', default: '2' },
    port: { type: 'string', default: '8798' },
    soak: { type: 'string', default: '0' },
    'report-every': { type: 'string', default: '30' },
    text: { type: 'string' },
    paced: { type: 'boolean', default: false },
    abuse: { type: 'boolean', default: false },
    'wasm-ceiling-mb': { type: 'string', default: '64' },
  },
});
const SOCKETS = Number(args.sockets);
const REQUESTS = Number(args.requests);
const SOAK_S = Number(args.soak);
const REPORT_S = Number(args['report-every']);
const PARAGRAPH =
  args.text ??
  'The old lighthouse stood at the edge of the cliff, its lamp long dark. Every evening the keeper climbed the stairs anyway, counting each step out loud. Nobody knew why, and he never said.';
const base = process.env.LOADTEST_URL ?? `http://127.0.0.1:${args.port}`;
const host = new URL(base).hostname;
if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
  console.error(`loadtest: refusing ${base}: loopback only (127.0.0.1)`);
  process.exit(2);
}
// Hard stop: the run can never outlive its budget, whatever hangs.
const budgetS = (SOAK_S > 0 ? SOAK_S : 0) + (args.abuse ? 900 : 300);
const hardStop = setTimeout(() => {
  console.error(`loadtest: hard stop after ${budgetS} s`);
  cleanup();
  process.exit(3);
}, budgetS * 1000);
hardStop.unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// The secret the worker checks tokens with: .dev.vars (what wrangler dev reads), else a fresh one given to the
// wrangler dev started here (auth is always on: without a secret the worker refuses every /v1 request).
const devSecret = readDevVar('AUTH_SECRET');
const secret = process.env.LOADTEST_SECRET ?? devSecret ?? (process.env.LOADTEST_URL ? undefined : freshSecret());
const token = process.env.LOADTEST_TOKEN ?? (secret ? mintToken(secret, { sub: 'loadtest', ttlSeconds: 3600 }) : undefined);
const q = token ? `?token=${encodeURIComponent(token)}` : '';

let dev;
function cleanup() {
  if (dev && dev.exitCode === null) {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      dev.kill('SIGTERM');
    }
  }
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** RSS (MB) of the workerd processes under our `wrangler dev` (Linux /proc), or NaN. */
function workerdRssMb() {
  if (!dev) return NaN;
  try {
    const parent = new Map();
    const info = new Map();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parent.set(Number(pid), ppid);
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        info.set(Number(pid), { name: /^Name:\s*(\S+)/m.exec(status)?.[1], rssKb: Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0) });
      } catch {}
    }
    const under = (pid) => {
      for (let p = pid, i = 0; p > 1 && i < 20; p = parent.get(p) ?? 0, i++) if (p === dev.pid) return true;
      return false;
    };
    let kb = 0;
    for (const [pid, { name, rssKb }] of info) if (name === 'workerd' && under(pid)) kb += rssKb;
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function waitHealthy(timeoutMs = 180_000) {
  const t0 = Date.now();
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return r.json();
    } catch {}
    if (Date.now() - t0 > timeoutMs) throw new Error('worker did not become healthy');
    await sleep(300);
  }
}

/** One socket: speaks `count()` requests one after another; every frame is checked against the contract. */
function runSocket(socketNo, voice, more, onResult) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/stream${q}`);
    ws.binaryType = 'arraybuffer';
    let n = 0;
    let cur;
    const fail = (why) => {
      onResult({ ok: false, why: `socket ${socketNo}: ${why}` });
    };
    const next = () => {
      if (!more()) {
        ws.close(1000);
        return;
      }
      const id = `s${socketNo}-${n++}`;
      cur = { id, sentAt: performance.now(), firstAt: 0, seq: 0, bytes: 0, hash: 2166136261, started: false };
      ws.send(JSON.stringify({ type: 'speak', id, text: PARAGRAPH, voice }));
    };
    ws.onopen = next;
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        const buf = new Uint8Array(ev.data);
        const seq = new DataView(ev.data).getUint32(0, true);
        if (!cur?.started) return fail('binary frame outside a request');
        if (seq !== cur.seq) fail(`${cur.id}: chunk ${seq} after ${cur.seq} (not contiguous)`);
        cur.seq = seq + 1;
        if (!cur.firstAt) cur.firstAt = performance.now();
        cur.bytes += buf.length - 4;
        for (let i = 4; i < buf.length; i++) cur.hash = Math.imul(cur.hash ^ buf[i], 16777619) >>> 0;
        return;
      }
      const m = JSON.parse(ev.data);
      if (m.type === 'start') {
        if (m.id !== cur?.id || cur.started) fail(`unexpected start ${ev.data}`);
        cur.started = true;
      } else if (m.type === 'done') {
        if (m.id !== cur?.id) fail(`done for ${m.id}, expected ${cur?.id}`);
        if (m.chunks !== cur.seq) fail(`${cur.id}: done says ${m.chunks} chunks, got ${cur.seq}`);
        onResult({ ok: true, id: cur.id, ttfaMs: cur.firstAt - cur.sentAt, totalMs: performance.now() - cur.sentAt, bytes: cur.bytes, hash: cur.hash, audioMs: m.audioMs, at: Date.now() });
        next();
      } else if (m.type === 'error') {
        onResult({ ok: false, why: `socket ${socketNo}: error ${m.code}: ${m.message}`, code: m.code });
        next();
      } else if (m.type !== 'words') {
        fail(`unexpected ${ev.data}`);
      }
    };
    ws.onerror = () => fail('socket error');
    ws.onclose = (ev) => {
      if (ev.code !== 1000 && ev.code !== 1005) fail(`closed with ${ev.code} ${ev.reason}`);
      resolve();
    };
  });
}

async function main() {
  if (!process.env.LOADTEST_URL) {
    execFileSync('node', [join(root, 'scripts', 'gen-models.mjs')], { stdio: 'inherit' });
    // The abuse run keeps wrangler.toml's limits (they are what it attacks); the others raise them.
    const vars = args.abuse ? [] : ['MAX_SOCKETS_PER_TOKEN:100000', 'AUDIO_SECONDS_PER_MINUTE:1000000', 'REQUESTS_PER_MINUTE:100000'];
    if (!args.paced && !args.abuse) vars.push('AUDIO_LEAD_SECONDS:1000000');
    if (!devSecret) vars.push(`AUTH_SECRET:${secret}`);
    dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), ['dev', '--ip', '127.0.0.1', '--port', args.port, ...vars.flatMap((v) => ['--var', v])], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
  }
  const health = await waitHealthy();
  console.log(`worker healthy (${health.source}, model ${health.model?.version}); ${SOCKETS} sockets${SOAK_S ? `, soak ${SOAK_S} s` : ` x ${REQUESTS} requests`}${args.paced ? ', paced' : ''}`);
  const { voices } = await (await fetch(`${base}/v1/voices${q}`)).json();
  const voice = voices[0].id;

  // Reference: the same request alone (the second of two: the first also warms the JIT).
  let ref;
  let k = 0;
  await runSocket('ref', voice, () => k++ < 2, (r) => (ref = r));
  if (!ref?.ok) throw new Error(`reference request failed: ${ref?.why}`);
  console.log(`alone: ${(ref.audioMs / 1000).toFixed(2)} s of audio, ${ref.bytes} bytes, TTFA ${ref.ttfaMs.toFixed(0)} ms, total ${ref.totalMs.toFixed(0)} ms`);

  if (args.abuse) {
    if (!secret) throw new Error('--abuse mints tokens for many subjects: set LOADTEST_SECRET to the worker\'s AUTH_SECRET');
    const budgetSeconds = Number(process.env.LOADTEST_BUDGET_SECONDS ?? 300); // wrangler.toml's AUDIO_SECONDS_PER_MINUTE
    const failures = await runAbuse({ base, secret, voice, paragraph: PARAGRAPH, referenceBytes: ref.bytes, wasmCeilingMb: Number(args['wasm-ceiling-mb']), budgetSeconds });
    console.log(failures.length === 0 ? '\nPASS: every attack held' : `\nFAIL:\n  ${failures.join('\n  ')}`);
    if (failures.length > 0) process.exitCode = 1;
    return;
  }

  const results = [];
  const t0 = performance.now();
  const deadline = SOAK_S > 0 ? Date.now() + SOAK_S * 1000 : Infinity;
  const rss0 = workerdRssMb();
  const windows = [];
  let reporter;
  if (SOAK_S > 0) {
    let from = 0;
    let last = performance.now();
    reporter = setInterval(() => {
      const now = performance.now();
      const slice = results.slice(from);
      from = results.length;
      const ok = slice.filter((r) => r.ok);
      const w = {
        t: Math.round((now - t0) / 1000),
        done: ok.length,
        errors: slice.length - ok.length,
        audioPerS: ok.reduce((s, r) => s + r.audioMs, 0) / 1000 / ((now - last) / 1000),
        ttfaP50: pct(ok.map((r) => r.ttfaMs), 50),
        ttfaP95: pct(ok.map((r) => r.ttfaMs), 95),
        rssMb: workerdRssMb(),
      };
      last = now;
      windows.push(w);
      console.log(`t=${w.t}s done ${w.done} errors ${w.errors} audio ${w.audioPerS.toFixed(2)} s/s TTFA p50 ${w.ttfaP50?.toFixed(0)} p95 ${w.ttfaP95?.toFixed(0)} ms workerd RSS ${w.rssMb.toFixed(0)} MB`);
    }, REPORT_S * 1000);
  }
  await Promise.all(
    Array.from({ length: SOCKETS }, (_, i) => {
      let k = 0;
      const more = SOAK_S > 0 ? () => Date.now() < deadline : () => k++ < REQUESTS;
      return runSocket(i, voice, more, (r) => results.push(r));
    }),
  );
  clearInterval(reporter);
  const wallS = (performance.now() - t0) / 1000;
  const ok = results.filter((r) => r.ok);
  const bad = results.filter((r) => !r.ok);
  const lengthMismatch = ok.filter((r) => r.bytes !== ref.bytes);
  const bytesDiffer = ok.filter((r) => r.hash !== ref.hash);
  const expected = SOAK_S > 0 ? ok.length + bad.length : SOCKETS * REQUESTS;
  const audioS = ok.reduce((s, r) => s + r.audioMs, 0) / 1000;
  console.log('');
  console.log(`requests: ${ok.length} done / ${expected} sent, ${bad.length} errors${bad.length ? `: ${[...new Set(bad.map((b) => b.why))].slice(0, 5).join('; ')}` : ''}`);
  console.log(`throughput: ${audioS.toFixed(1)} s of audio in ${wallS.toFixed(1)} s = ${(audioS / wallS).toFixed(2)} audio s/s (${SOCKETS} sockets)`);
  console.log(`time to first audio: p50 ${pct(ok.map((r) => r.ttfaMs), 50).toFixed(0)} ms, p95 ${pct(ok.map((r) => r.ttfaMs), 95).toFixed(0)} ms; request total p50 ${pct(ok.map((r) => r.totalMs), 50).toFixed(0)} ms`);
  console.log(`nothing lost: ${lengthMismatch.length === 0 ? 'every request has the reference length' : `${lengthMismatch.length} requests differ in length`}; ${bytesDiffer.length === 0 ? 'identical bytes' : `${bytesDiffer.length} differ in bytes (same length)`}`);
  if (SOAK_S > 0 && windows.length >= 2) {
    const first = windows[0];
    const lastW = windows[windows.length - 1];
    console.log(`soak: workerd RSS ${rss0.toFixed(0)} MB at start, ${first.rssMb.toFixed(0)} MB after ${first.t} s, ${lastW.rssMb.toFixed(0)} MB at ${lastW.t} s (growth ${(lastW.rssMb - first.rssMb).toFixed(0)} MB); errors per window ${windows.map((w) => w.errors).join(',')}`);
  }
  const lost = ok.length !== expected || bad.length > 0 || lengthMismatch.length > 0;
  if (lost) process.exitCode = 1;
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanup();
    clearTimeout(hardStop);
  });
