// Resume check against a running server (npm run dev, or a wrangler dev clone): the built client module
// (vendor/client/tts-client.js) speaks the same text twice, once directly and once through the browser test's TCP
// proxy (test/e2e/shaper.mjs), which resets the connection once the client has received some bytes of audio. The
// resumed run must reconnect and end with exactly the same samples and the same words, none lost or repeated.
// Usage: TTS_TOKEN=$(npm run -s token -- --sub check) node --experimental-websocket client/check/resume-check.mjs [http://127.0.0.1:8787] [pcm16|opus] [dropAfterBytes]
// (TTS_TOKEN may be left out where the server runs with AUTH_DISABLED = "true".)
import { startShaper } from '../../test/e2e/shaper.mjs';
import { TtsClient } from '../../vendor/client/tts-client.js';

// opus-fallback.js (opus-decoder) defines its Web Worker variant at load, extending the browser's Worker: Node has none.
globalThis.Worker ??= class {};

const target = new URL(process.argv[2] ?? 'http://127.0.0.1:8787');
const format = process.argv[3] ?? 'pcm16';
const dropAfter = Number(process.argv[4] ?? (format === 'opus' ? 3000 : 60000));
const text = 'Resuming after a dropped connection must not skip or repeat a single sample of this sentence. And this one.';

async function speak(url, onBytes = () => {}) {
  const token = process.env.TTS_TOKEN || undefined;
  const voices = await (await fetch(new URL('/v1/voices', target), { headers: token ? { authorization: `Bearer ${token}` } : {} })).json();
  const client = new TtsClient({ url, token });
  const chunks = [];
  const reconnects = [];
  const words = [];
  const h = client.speak({
    text, voice: voices.voices[0].id, format,
    onAudio: (s) => chunks.push(s.slice()),
    onWords: (w) => words.push(...w.map((x) => x.text)),
    onReconnect: (a, from) => reconnects.push(from),
    onChunk: (_seq, bytes) => onBytes(bytes),
  });
  const r = await h.finished;
  client.close();
  const samples = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) samples.set(c, (off += c.length) - c.length);
  return { samples, stats: r.stats, reconnects, words: words.join(' ') };
}

const direct = await speak(`ws://${target.host}/v1/stream`);
const proxy = await startShaper({ host: target.hostname, port: Number(target.port) });
let received = 0;
let dropped = false;
const resumed = await speak(`ws://127.0.0.1:${proxy.port}/v1/stream`, (bytes) => {
  received += bytes;
  if (!dropped && received > dropAfter) dropped = proxy.dropAll() > 0;
});
const { connections } = proxy.counters();
await proxy.close();

let firstDiff = -1;
const n = Math.max(direct.samples.length, resumed.samples.length);
for (let i = 0; i < n; i++) if (direct.samples[i] !== resumed.samples[i]) { firstDiff = i; break; }
const show = (r) => ({ words: r.words.split(' ').length, samples: r.samples.length, chunks: r.stats.chunks, bytes: r.stats.bytes, reconnects: r.stats.reconnects, resumeFrom: r.reconnects, decoder: r.stats.decoder, audioMs: r.stats.serverDone?.audioMs });
console.log(`format ${format}, proxy reset the connection after ${dropAfter} bytes of audio; connections through the proxy: ${connections}`);
console.log('direct ', JSON.stringify(show(direct)));
console.log('resumed', JSON.stringify(show(resumed)));
const sameWords = direct.words === resumed.words;
const ok = firstDiff === -1 && sameWords && resumed.stats.reconnects >= 1;
console.log(ok ? 'PASS: identical samples and words after the resume' : `FAIL: ${resumed.stats.reconnects} reconnects, first differing sample ${firstDiff}, words ${sameWords ? 'same' : `differ:\n  ${direct.words}\n  ${resumed.words}`}`);
process.exit(ok ? 0 : 1);
