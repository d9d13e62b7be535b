// Real-browser end-to-end test (`npm run test:e2e`) and network-shaped benchmark (`npm run bench:network`).
// Starts `wrangler dev` (auth on, its own secret), a shaping TCP proxy in front of it and headless chromium, then
// drives the demo page: the fresh-instance state on the cold server first, the token help, every control, then
// speech over loopback, across a dropped connection and over shaped links.
//   node test/e2e/run.mjs                      all scenarios; exits 1 when one fails
//   node test/e2e/run.mjs --only resume-opus   scenarios by name (comma-separated; --reps N repeats them)
//   node test/e2e/run.mjs --bench [--reps 3]   only the shaped links, repeated, with the figures table
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumInstalled, CHROMIUM, launchBrowser } from './browser.mjs';
import { calibrateShaper } from './calibrate.mjs';
import { authHelp, coldStart, controls } from './controls.mjs';
import { loopback, resume, shaped } from './scenarios.mjs';
import { startWorker } from './server.mjs';
import { startShaper } from './shaper.mjs';
import { judgeNetwork, printTable } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(root, 'artifacts', 'e2e');

const { values: opts } = parseArgs({
  options: { bench: { type: 'boolean', default: false }, reps: { type: 'string' }, only: { type: 'string' } },
});

if (!chromiumInstalled()) {
  if (process.env.CI) {
    console.error(`e2e: FAILED: ${CHROMIUM} is missing (CI installs it in .ci/run: apt-get install chromium)`);
    process.exit(1);
  }
  console.log(`\n*** e2e SKIPPED: install chromium (apt-get install chromium); ${CHROMIUM} not found ***\n`);
  process.exit(0);
}

/**
 * Shaped links, 150 ms each way. PCM16 at 22050 Hz is ~353 kbit/s of payload, but the WebSocket is deflate-compressed
 * (permessage-deflate), which takes speech PCM down to ~270 kbit/s on the wire; so 300 kbit/s is borderline and
 * 200 kbit/s is the link where PCM16 cannot keep up in real time (judged). 400 kbit/s (the example) and
 * 300 kbit/s are reported, not judged for PCM16. Opus (~24 kbit/s) must play without underruns on all of them.
 */
const LINK_400 = { rateBps: 400_000, latencyMs: 150 };
const LINK_300 = { rateBps: 300_000, latencyMs: 150 };
const LINK_200 = { rateBps: 200_000, latencyMs: 150, slow: true };
const TEST_LINKS = [LINK_400, LINK_200];
const BENCH_LINKS = [LINK_400, LINK_300, LINK_200];

function networkScenario(links, reps) {
  return async (env) => {
    const rows = [];
    for (let i = 0; i < reps; i++) {
      for (const link of links) for (const format of ['pcm16', 'opus']) rows.push({ ...(await shaped(env, link, format)), slow: !!link.slow });
    }
    printTable(rows);
    judgeNetwork(rows);
    return `${rows.length} shaped runs`;
  };
}

const all = [
  ['shaper-calibration', () => calibrateShaper()],
  // First: it needs the worker cold (it warms it when done).
  ['cold-start', (env) => coldStart(env)],
  ['auth-help', (env) => authHelp(env)],
  ['controls', (env) => controls(env)],
  ['loopback-pcm16', (env) => loopback(env, 'pcm16')],
  ['loopback-opus', (env) => loopback(env, 'opus')],
  ['loopback-opus-wasm', (env) => loopback(env, 'opus', { decoder: 'wasm' })],
  ['resume-opus', (env) => resume(env, 'opus')],
  ['resume-pcm16', (env) => resume(env, 'pcm16')],
  ['network', networkScenario(TEST_LINKS, 1)],
];
const reps = Number(opts.reps ?? 3);
let scenarios = opts.bench ? [['shaper-calibration', all[0][1]], ['network', networkScenario(BENCH_LINKS, reps)]] : all;
if (opts.only) {
  const names = opts.only.split(',');
  scenarios = all.filter(([name]) => names.includes(name));
  if (scenarios.length === 0) throw new Error(`--only ${opts.only}: no such scenario (${all.map(([n]) => n).join(', ')})`);
  // --reps with --only repeats the chosen scenarios, to see how often one fails.
  if (opts.reps) scenarios = Array.from({ length: reps }, () => scenarios).flat();
}

/** One line per stat, for failure reports. */
function summarise(stats) {
  return stats ? JSON.stringify(stats, null, 1) : '(no stats: window.ttsDemo.last was empty)';
}

mkdirSync(artifacts, { recursive: true });
const started = performance.now();
const env = { artifacts, root, current: null };
const cleanup = [];
const results = [];
// Ctrl-C or a CI timeout must not leave wrangler dev (its own process group) or chromium behind.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
    process.exit(130);
  });
}
try {
  // High per-token limits: every socket of the test shares one token subject, and resume opens new ones.
  // The cold-start scenario sees the worker before anything loaded the model; it warms it when done.
  const cold = scenarios.some(([name]) => name === 'cold-start');
  const worker = await startWorker({
    root,
    logFile: join(artifacts, 'wrangler.log'),
    vars: { MAX_SOCKETS_PER_TOKEN: '1000', AUDIO_SECONDS_PER_MINUTE: '100000' },
    warm: !cold,
  });
  cleanup.push(() => worker.stop());
  const shaper = await startShaper({ host: '127.0.0.1', port: worker.port });
  cleanup.push(() => shaper.close());
  const browser = await launchBrowser();
  cleanup.push(() => browser.close());
  Object.assign(env, { browser, shaper, worker, token: worker.token, base: worker.base, shaperBase: `http://127.0.0.1:${shaper.port}` });
  console.log(`e2e: wrangler dev at ${worker.base} (up ${((performance.now() - started) / 1000).toFixed(1)} s), shaper at ${env.shaperBase}, chromium ${browser.version()}`);

  for (const [name, fn] of scenarios) {
    const t0 = performance.now();
    env.current = null;
    try {
      const out = await fn(env);
      const brief = typeof out === 'string' ? out : out ? `first sound ${Math.round(out.firstSoundMs)} ms, played ${Math.round(out.playedMs)} / ${out.serverDone?.audioMs} ms, underruns ${out.underruns} (${Math.round(out.underrunMs)} ms), reconnects ${out.reconnects}` : '';
      results.push({ name, ok: true });
      console.log(`ok   ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s) ${brief}`);
    } catch (err) {
      results.push({ name, ok: false });
      console.log(`FAIL ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s): ${err.message}`);
      console.log(`--- page stats ---\n${summarise(err.stats ?? env.current?.stats)}`);
      if (env.current?.consoleLines?.length) console.log(`--- page console (last 20) ---\n${env.current.consoleLines.slice(-20).join('\n')}`);
      console.log(`--- wrangler log tail ---\n${worker.logTail(30)}\n---`);
    }
  }
} catch (err) {
  results.push({ name: 'setup', ok: false });
  console.log(`FAIL setup: ${err.stack ?? err}`);
} finally {
  for (const fn of cleanup.reverse()) await fn().catch(() => {});
}
const failed = results.filter((r) => !r.ok);
console.log(`e2e: ${results.length - failed.length} passed, ${failed.length} failed in ${((performance.now() - started) / 1000).toFixed(1)} s; screenshots and wrangler.log in ${artifacts}`);
process.exitCode = failed.length > 0 ? 1 : 0;
