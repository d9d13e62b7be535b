// The served voice against its teacher, side by side in one run: every sentence of distill/evaltext/sentences.txt
// is spoken by the Worker (its own `wrangler dev`, WebSocket, pcm16 at the model's rate: exactly what a client
// gets), then `python -m distill voice-eval` runs the teacher through piper-tts (noise scales 0) and prints WER,
// HNR, voiced fraction, F0 agreement, 3-hop autocorrelation, MCD, duration and pause ratios.
// Usage: npm run bench:voice [-- --port 8797 --no-asr --out distill/reports/voice]
// Needs `pip install -r distill/requirements.txt` and Debian's pocketsphinx + pocketsphinx-en-us (for WER).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mintToken } from './lib/mint-token.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8797' },
    out: { type: 'string', default: join(root, 'distill', 'reports', 'voice') },
    'no-asr': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function wav(samples, rate) {
  const out = Buffer.alloc(44 + samples.length);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples.length, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples.length, 40);
  samples.copy(out, 44);
  return out;
}

/** One sentence over its own socket; resolves with the pcm16 bytes and the announced rate. */
function speak(text, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
    ws.binaryType = 'arraybuffer';
    const chunks = [];
    let rate = 0;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'speak', id: 'v', text, voice: 'joe', format: 'pcm16' }));
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        chunks.push(Buffer.from(ev.data, 4));
        return;
      }
      const m = JSON.parse(ev.data);
      if (m.type === 'start') rate = m.sampleRate;
      if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
      if (m.type === 'done') {
        ws.close();
        resolve({ pcm: Buffer.concat(chunks), rate });
      }
    };
    ws.onerror = () => reject(new Error('socket error'));
    ws.onclose = () => reject(new Error('socket closed before done'));
    setTimeout(() => reject(new Error(`no done after 120 s: ${text.slice(0, 40)}`)), 120_000).unref();
  });
}

async function main() {
  const sentences = readFileSync(join(root, 'distill', 'evaltext', 'sentences.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const secret = randomBytes(24).toString('base64url');
  const token = mintToken(secret, { sub: 'bench-voice', ttlSeconds: 3600 });
  execFileSync('node', [join(root, 'scripts', 'gen-models.mjs')], { stdio: 'inherit' });
  const state = mkdtempSync(join(tmpdir(), 'bench-voice-'));
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--var', `AUTH_SECRET:${secret}`];
  args.push('--var', 'AUDIO_SECONDS_PER_MINUTE:100000', '--var', 'REQUESTS_PER_MINUTE:100000');
  const dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const studentDir = join(values.out, 'student');
  try {
    for (let t0 = Date.now(); ; await sleep(250)) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {}
      if (Date.now() - t0 > 120_000) throw new Error('wrangler dev did not start');
    }
    rmSync(studentDir, { recursive: true, force: true });
    mkdirSync(studentDir, { recursive: true });
    for (const [i, text] of sentences.entries()) {
      // wrangler dev restarts the worker when a source file changes; such a request is spoken again.
      let spoken;
      for (let attempt = 1; !spoken; attempt++) {
        spoken = await speak(text, token).catch((err) => {
          if (attempt >= 3) throw err;
          return sleep(3000).then(() => undefined);
        });
      }
      const { pcm, rate } = spoken;
      writeFileSync(join(studentDir, `${String(i).padStart(3, '0')}.wav`), wav(pcm, rate));
      process.stderr.write(`\rserved ${i + 1}/${sentences.length}`);
    }
    process.stderr.write('\n');
  } finally {
    dev.kill('SIGTERM');
    rmSync(state, { recursive: true, force: true });
  }
  const py = process.env.PYTHON ?? 'python3';
  const evalArgs = ['-m', 'distill', 'voice-eval', '--student-dir', studentDir, '--teacher-dir', join(values.out, 'teacher')];
  if (values['no-asr']) evalArgs.push('--no-asr');
  execFileSync(py, evalArgs, { cwd: root, stdio: 'inherit' });
}

main().catch((err) => {
  console.error(`bench:voice: ${err.message}`);
  process.exit(1);
});
