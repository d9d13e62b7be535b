// Starts the worker under `wrangler dev` for the end-to-end tests: its own local state in a temp dir (voices seeded
// into that KV the way scripts/seed-kv.mjs does), a copy of the sources taken at start, its own AUTH_SECRET (auth is on, as deployed; tokens are minted
// with scripts/token.mjs), a free port on 127.0.0.1, logs to a file; stops it by process group.
import { randomBytes } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is possible but harmless here). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `path` until it answers 200. `/healthz` loads and warms the models, so a 200 there also means the first
 * request pays no model load; `/client/tts-client.js` answers without touching the models (the instance stays cold).
 */
async function waitFor(base, path, child, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let last = 'no answer';
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode} before ${path} answered`);
    try {
      const r = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) });
      if (r.ok) return path === '/healthz' ? r.json() : (await r.arrayBuffer(), null);
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = String(err?.cause?.code ?? err?.message ?? err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${path} did not answer 200 within ${deadlineMs} ms (last: ${last})`);
}

/**
 * A copy of what the worker is built from (node_modules linked). wrangler dev watches its sources and reloads on any
 * change, which drops the test's sockets and the loaded model; edits made to the checkout while the test runs must
 * not reach the worker under test.
 */
function snapshot(root) {
  const dir = mkdtempSync(join(tmpdir(), 'edge-tts-e2e-src-'));
  for (const p of ['src', 'vendor', 'models-int8', 'scripts', 'wrangler.toml', 'wrangler.jsonc', 'package.json', 'tsconfig.json']) {
    if (existsSync(join(root, p))) cpSync(join(root, p), join(dir, p), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** A signed token for the worker's secret, minted by the project's own CLI (what users run). */
export async function mintToken(root, secret, { sub = 'e2e', scopes = [], ttl = 3600 } = {}) {
  const args = [join(root, 'scripts', 'token.mjs'), '--sub', sub, '--ttl', String(ttl), ...scopes.flatMap((s) => ['--scope', s])];
  const { stdout } = await run(process.execPath, args, { cwd: root, env: { ...process.env, AUTH_SECRET: secret } });
  const token = stdout.trim();
  if (!/^v1\.[\w-]+\.[\w-]+$/.test(token)) throw new Error(`scripts/token.mjs printed ${JSON.stringify(stdout.slice(0, 80))}, not a token`);
  return token;
}

/**
 * Short syntheses over HTTP before the browser speaks, one per format the scenarios use. The first request after
 * start runs cold JIT paths (the README's "first request after start" figure), and the first Opus request also
 * instantiates libopus; seen here as underruns of 19-100 ms on loopback. The tests judge steady-state playback, so
 * that cost is paid here, not inside a scenario.
 */
async function warmUp(base, token) {
  const auth = { authorization: `Bearer ${token}` };
  const res = await fetch(`${base}/v1/voices`, { headers: auth });
  if (!res.ok) throw new Error(`warm-up GET /v1/voices answered ${res.status}: ${await res.text()}`);
  const { voices } = await res.json();
  if (!voices?.length) throw new Error('GET /v1/voices lists no voice');
  for (const format of ['pcm', 'opus']) {
    const r = await fetch(`${base}/v1/audio/speech`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ model: 'tts-1', input: 'Warming up the voice.', voice: voices[0].id, response_format: format }),
    });
    if (!r.ok) throw new Error(`warm-up POST /v1/audio/speech (${format}) answered ${r.status}: ${await r.text()}`);
    await r.arrayBuffer();
  }
}

/**
 * Starts `wrangler dev` and resolves once it answers: with `warm` (the default) once `/healthz` has loaded the models
 * and one synthesis ran; with `warm: false` while the instance is still cold (call `warm()` later).
 * `token` is a signed token of subject `e2e` with `voices:write`.
 * @param {{ root: string, logFile: string, vars?: Record<string, string>, startTimeoutMs?: number, warm?: boolean }} opts
 * @returns {Promise<{ base: string, port: number, token: string, secret: string, warm: () => Promise<object>, logTail: (n?: number) => string, stop: () => Promise<void> }>}
 */
export async function startWorker(opts) {
  // freePort() can race with other processes on a shared machine; a taken port ends wrangler at once, so retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !/Address already in use/.test(err.message)) throw err;
    }
  }
}

async function startOnce({ root, logFile, vars = {}, startTimeoutMs = 120_000, warm: warmNow = true }) {
  const persistTo = mkdtempSync(join(tmpdir(), 'edge-tts-e2e-'));
  const app = snapshot(root);
  const secret = randomBytes(32).toString('hex');
  const token = await mintToken(root, secret, { scopes: ['voices:write'] });
  await run(process.execPath, [join(app, 'scripts', 'seed-kv.mjs'), '--persist-to', persistTo], { cwd: app });
  const port = await freePort();
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistTo, '--show-interactive-dev-session=false'];
  // Its own secret, given as a var so neither the repository's .dev.vars nor a running `npm start` is involved.
  for (const [k, v] of Object.entries({ ...vars, AUTH_SECRET: secret })) args.push('--var', `${k}:${v}`);
  const log = createWriteStream(logFile);
  // detached: its own process group, so stop() also ends workerd and esbuild, which wrangler spawns.
  const child = spawn(join(root, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: app,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? '1' },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const logTail = (n = 40) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const killed = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
      if (!killed) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
        await exited;
      }
    }
    log.end();
    rmSync(persistTo, { recursive: true, force: true });
    rmSync(app, { recursive: true, force: true });
  };

  const base = `http://127.0.0.1:${port}`;
  const probe = warmNow ? '/healthz' : '/client/tts-client.js';
  const warm = async () => {
    const health = await waitFor(base, '/healthz', child, startTimeoutMs);
    await warmUp(base, token);
    return health;
  };
  try {
    await waitFor(base, probe, child, startTimeoutMs);
    // wrangler dev sometimes reloads the worker once just after it first answers, which would kill a test's
    // sockets and drop the warmed models: wait for a quiet moment, and ask again if it reloaded.
    for (let i = 0; i < 5; i++) {
      const seen = readFileSync(logFile, 'utf8').length;
      await new Promise((r) => setTimeout(r, 2000));
      if (!/Reloading local server/.test(readFileSync(logFile, 'utf8').slice(seen))) break;
      await waitFor(base, probe, child, startTimeoutMs);
    }
    if (warmNow) await warm();
    return { base, port, token, secret, warm, logTail, stop };
  } catch (err) {
    await stop();
    err.message += `\n--- wrangler log tail (${logFile}) ---\n${logTail()}`;
    throw err;
  }
}
