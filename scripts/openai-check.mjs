// Runs the official OpenAI Node SDK against a running worker (`npm start`), as an app written for OpenAI would:
// every response_format, the SSE stream, the model list and the errors. Prints one line per check with the time to
// the first body byte and the whole body, and exits 1 when a check fails.
//
//   TOKEN=$(npm run -s token) node scripts/openai-check.mjs [--base http://localhost:8787/v1]
//
// Without $TOKEN it mints one itself with scripts/lib/mint-token.mjs from AUTH_SECRET ($AUTH_SECRET or .dev.vars).
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { readDevVar } from './lib/dev-vars.mjs';
import { mintToken } from './lib/mint-token.mjs';

const { values } = parseArgs({ options: { base: { type: 'string', default: 'http://localhost:8787/v1' } } });
let token = process.env.TOKEN;
if (!token) {
  const secret = process.env.AUTH_SECRET || readDevVar('AUTH_SECRET');
  if (!secret) throw new Error('no $TOKEN and no AUTH_SECRET ($AUTH_SECRET or .dev.vars) to mint one');
  token = await mintToken(secret, { sub: 'openai-check', ttlSeconds: 600 });
}
const client = new OpenAI({ baseURL: values.base, apiKey: token, maxRetries: 0 });

const SENTENCE = 'Hello from the edge, spoken by an app written for OpenAI.';
const PARAGRAPH =
  'Streaming speech starts playing before the whole text is spoken. The acoustic model runs first, so every ' +
  'duration is known, and then the vocoder turns the features into sound, window by window. A listener hears the ' +
  'first words while the rest is still being made, on a fast link or a slow one.';
const MAGIC = { mp3: [0xff], opus: [0x4f, 0x67, 0x67, 0x53], flac: [0x66, 0x4c, 0x61, 0x43], wav: [0x52, 0x49, 0x46, 0x46] };

let failures = 0;
function check(name, ok, detail) {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

/** Body bytes and timings: ms to the first body byte and to the end, from the SDK call. */
async function timed(params) {
  const t0 = performance.now();
  const res = await client.audio.speech.create(params);
  const reader = res.body.getReader();
  const parts = [];
  let first;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    first ??= performance.now() - t0;
    parts.push(r.value);
  }
  const bytes = Buffer.concat(parts);
  return { res, bytes, first: first ?? NaN, total: performance.now() - t0, pieces: parts.length };
}

const ms = (x) => `${Math.round(x)} ms`;

for (const [label, input] of [['sentence', SENTENCE], ['paragraph', PARAGRAPH]]) {
  for (const response_format of [undefined, 'opus', 'flac', 'wav', 'pcm']) {
    const format = response_format ?? 'mp3';
    const r = await timed({ model: 'tts-1', voice: 'alloy', input, ...(response_format ? { response_format } : {}) });
    const magic = MAGIC[format];
    const okMagic = !magic || magic.every((b, i) => r.bytes[i] === b);
    let detail = `${r.bytes.length} B in ${r.pieces} pieces, first byte ${ms(r.first)}, all ${ms(r.total)}`;
    let ok = okMagic && r.bytes.length > 1000;
    if (format === 'wav') {
      const dataSize = r.bytes.readUInt32LE(40);
      ok &&= dataSize === r.bytes.length - 44 && r.bytes.readUInt32LE(4) === r.bytes.length - 8;
      detail += `, data ${dataSize} B (${(dataSize / 2 / r.bytes.readUInt32LE(24)).toFixed(2)} s)`;
    }
    // WAV always has its length; pcm when the text is one chunk (then it costs no latency).
    const length = r.res.headers.get('content-length');
    if (format === 'wav' || (format === 'pcm' && length !== null)) ok &&= Number(length) === r.bytes.length;
    if (format === 'pcm') detail += length === null ? ', chunked' : ', Content-Length';
    if (format === 'pcm') ok &&= r.res.headers.get('x-sample-rate') === '24000';
    check(`${label} ${format}${response_format ? '' : ' (default)'}`, ok, detail);
  }
}

{
  const r = await timed({ model: 'gpt-4o-mini-tts', voice: 'nova', input: SENTENCE, response_format: 'mp3', stream_format: 'sse' });
  const events = r.bytes.toString().split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)));
  const audio = Buffer.concat(events.filter((e) => e.type === 'speech.audio.delta').map((e) => Buffer.from(e.audio, 'base64')));
  const done = events.at(-1);
  check('sse', done?.type === 'speech.audio.done' && audio[0] === 0xff && done.usage?.total_tokens > 0, `${events.length - 1} deltas, ${audio.length} B of mp3, usage ${JSON.stringify(done?.usage)}`);
}

const ids = [];
for await (const m of client.models.list()) ids.push(m.id);
check('models.list', ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'].every((id) => ids.includes(id)), ids.join(', '));

for (const [name, params, param] of [
  ['unknown model', { model: 'nope', voice: 'alloy', input: 'Hi.' }, 'model'],
  ['unknown voice', { model: 'tts-1', voice: 'nobody', input: 'Hi.' }, 'voice'],
  ['instructions', { model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'Hi.', instructions: 'Whisper.' }, 'instructions'],
  ['empty input', { model: 'tts-1', voice: 'alloy', input: '  ' }, 'input'],
  ['aac', { model: 'tts-1', voice: 'alloy', input: 'Hi.', response_format: 'aac' }, 'response_format'],
]) {
  try {
    await client.audio.speech.create(params);
    check(`error: ${name}`, false, 'accepted');
  } catch (err) {
    check(`error: ${name}`, err instanceof OpenAI.BadRequestError && err.param === param, `${err.status} ${err.message}`);
  }
}

process.exitCode = failures > 0 ? 1 : 0;
