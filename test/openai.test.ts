import { env, exports } from 'cloudflare:workers';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../src/auth';
import { createApp } from '../src/http';
import { bestLagCorrelation } from '../src/audio/testing';
import { authHeaders, checkRequest, openSocket, realModels, testToken, workerFetch } from './helpers';

// The OpenAI-compatible surface driven by the official `openai` Node SDK against the real worker and models. MP3 and
// FLAC bodies are decoded by the reference decoders (mpg123, libFLAC's port) in Node, through the DECODERS binding.

// Auth is on in the tests, as deployed: the SDK's apiKey is a token signed with the tests' AUTH_SECRET.
const client = new OpenAI({ baseURL: 'http://localhost/v1', apiKey: await testToken('openai'), fetch: (url, init) => exports.default.fetch(url, init) });
const decoders = (env as Env & { DECODERS: Fetcher }).DECODERS;

const TEXT = 'The quick brown fox jumps over the lazy dog. Then it naps in the warm sun for a while.';

async function bytesOf(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

const int16 = (b: Uint8Array): Int16Array => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const toFloat = (x: Int16Array): Float32Array => Float32Array.from(x, (v) => v / 32768);

async function decode(kind: 'mp3' | 'flac', bytes: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number; errors: number }> {
  const res = await decoders.fetch(`http://decoders/${kind}`, { method: 'POST', body: bytes });
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
  return { samples: new Float32Array(await res.arrayBuffer()), sampleRate: Number(res.headers.get('X-Sample-Rate')), errors: Number(res.headers.get('X-Errors')) };
}

/** `x` linearly resampled by `ratio` (out/in), for comparing bodies written at different rates. */
function resample(x: Float32Array, ratio: number): Float32Array {
  const out = new Float32Array(Math.floor((x.length - 1) * ratio) + 1);
  for (let i = 0; i < out.length; i++) {
    const p = i / ratio;
    const j = Math.floor(p);
    out[i] = j + 1 < x.length ? x[j]! * (1 - (p - j)) + x[j + 1]! * (p - j) : x[j]!;
  }
  return out;
}

/** Energy per 10 ms frame: compares speech of two encodings without caring about codec phase. */
function envelope(x: Float32Array, rate: number): Float32Array {
  const n = Math.round(rate / 100);
  return Float32Array.from({ length: Math.floor(x.length / n) }, (_, f) => {
    let e = 0;
    for (let i = f * n; i < (f + 1) * n; i++) e += x[i]! * x[i]!;
    return Math.sqrt(e / n);
  });
}

function parseWav(b: Uint8Array): { riff: number; rate: number; dataSize: number; data: Uint8Array } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  expect(String.fromCharCode(...b.subarray(0, 4))).toBe('RIFF');
  expect(String.fromCharCode(...b.subarray(36, 40))).toBe('data');
  return { riff: v.getUint32(4, true), rate: v.getUint32(24, true), dataSize: v.getUint32(40, true), data: b.subarray(44) };
}

describe('OpenAI SDK: audio.speech.create', () => {
  // The reference: the same text as WAV at the model's rate (22050 Hz), exact int16 samples.
  let ref: Int16Array;
  beforeAll(async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'wav' });
    ref = int16(parseWav(await bytesOf(res)).data);
    if (realModels) expect(ref.length / 22050).toBeGreaterThan(3);
  });

  it('the call from OpenAI\'s docs (no response_format) gives mp3 that decodes to the speech, of its length', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT });
    expect(res.headers.get('Content-Type')).toBe('audio/mpeg');
    const mp3 = await bytesOf(res);
    const out = await decode('mp3', mp3);
    expect(out.errors).toBe(0);
    expect(out.sampleRate).toBe(22050);
    // LAME's delay and last-frame padding: at most ~3 frames of 576 samples longer than the audio.
    expect(out.samples.length).toBeGreaterThanOrEqual(ref.length);
    expect(out.samples.length).toBeLessThan(ref.length + 3 * 576);
    expect(bestLagCorrelation(envelope(toFloat(ref), 22050), envelope(out.samples, 22050), 10).r).toBeGreaterThan(0.98);
    expect(bestLagCorrelation(toFloat(ref).subarray(0, 44100), out.samples, 1700).r).toBeGreaterThan(0.9);
  });

  it('wav declares its true sizes (RIFF, data, Content-Length) in the first bytes, and they equal the body', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'wav' });
    const length = Number(res.headers.get('Content-Length'));
    const body = await bytesOf(res);
    const wav = parseWav(body);
    expect(wav.rate).toBe(22050);
    expect(wav.dataSize).toBe(body.length - 44);
    expect(wav.riff).toBe(body.length - 8);
    expect(length).toBe(body.length);
  });

  it('resampled wav and flac (sample_rate 16000 / 24000) keep exact sizes too', async () => {
    const expected = (rate: number): number => Math.floor(((ref.length - 1) * rate) / 22050) + 1;
    for (const sample_rate of [16000, 24000]) {
      const wav = await bytesOf(await workerFetch('http://localhost/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: TEXT, voice: 'alloy', response_format: 'wav', sample_rate }) }));
      const parsed = parseWav(wav);
      expect(parsed.rate).toBe(sample_rate);
      expect(parsed.dataSize).toBe(wav.length - 44);
      expect(parsed.dataSize / 2).toBe(expected(sample_rate));
      const flac = await bytesOf(await workerFetch('http://localhost/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: TEXT, voice: 'alloy', response_format: 'flac', sample_rate }) }));
      const out = await decode('flac', flac);
      expect(out.sampleRate).toBe(sample_rate);
      expect(Int16Array.from(out.samples, (v) => Math.round(v * 32767))).toEqual(int16(parsed.data));
    }
  });

  it('the planned length is the audio itself: the WAV holds exactly the samples the WebSocket streams for the same text', async () => {
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'w', text: TEXT, voice: 'joe', format: 'pcm16' });
    const { chunks } = checkRequest(await sock.untilEnd('w'), 'w');
    sock.close();
    const streamed = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    chunks.reduce((off, c) => (streamed.set(c, off), off + c.length), 0);
    expect(int16(streamed)).toEqual(ref);
  });

  it('pcm is raw 24 kHz s16le (OpenAI\'s definition), the reference resampled', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'pcm' });
    expect(res.headers.get('X-Sample-Rate')).toBe('24000');
    // Two chunks: the length is not planned (that would delay the first byte), so the body is chunked.
    expect(res.headers.get('Content-Length')).toBeNull();
    const pcm = int16(await bytesOf(res));
    expect(Math.abs(pcm.length - (Math.floor(((ref.length - 1) * 24000) / 22050) + 1))).toBeLessThanOrEqual(1);
    expect(bestLagCorrelation(resample(toFloat(ref), 24000 / 22050), toFloat(pcm), 2).r).toBeGreaterThan(0.999);
  });

  it('pcm of a one-chunk text carries its Content-Length (planning it costs nothing there)', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'One short sentence.', response_format: 'pcm' });
    const body = await bytesOf(res);
    expect(Number(res.headers.get('Content-Length'))).toBe(body.length);
    expect(body.length / 48000).toBeGreaterThan(0.5);
  });

  it('flac is lossless: the reference decoder gives back the WAV\'s samples exactly, STREAMINFO their count', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'flac' });
    expect(res.headers.get('Content-Type')).toBe('audio/flac');
    const flac = await bytesOf(res);
    expect(String.fromCharCode(...flac.subarray(0, 4))).toBe('fLaC');
    const total = Number(new DataView(flac.buffer, flac.byteOffset + 8, 34).getBigUint64(10) & 0xfffffffffn);
    expect(total).toBe(ref.length);
    const out = await decode('flac', flac);
    expect(out.errors).toBe(0);
    expect(out.sampleRate).toBe(22050);
    expect(Int16Array.from(out.samples, (v) => Math.round(v * 32767))).toEqual(ref);
    expect(flac.length).toBeLessThan(ref.length * 2 * 0.8);
  });

  it('opus is Ogg Opus', async () => {
    const res = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'nova', input: TEXT, response_format: 'opus' });
    expect(res.headers.get('Content-Type')).toBe('audio/ogg; codecs=opus');
    const ogg = await bytesOf(res);
    expect(String.fromCharCode(...ogg.subarray(0, 4))).toBe('OggS');
    // 24 kbit/s: about 3 kB per second of audio.
    expect(ogg.length / (ref.length / 22050)).toBeGreaterThan(2000);
    expect(ogg.length / (ref.length / 22050)).toBeLessThan(4500);
  });

  it('streams the body as it is made, in several pieces', async () => {
    for (const response_format of ['mp3', 'flac', 'wav'] as const) {
      const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format });
      const reader = res.body!.getReader();
      let pieces = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) pieces++;
      expect(pieces, response_format).toBeGreaterThan(3);
    }
  });

  it('stream_format "sse": speech.audio.delta events carry the same bytes base64, then speech.audio.done with usage', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'pcm', stream_format: 'sse' });
    expect(res.headers.get('Content-Type')).toBe('text/event-stream');
    const text = await res.text();
    const events = text
      .split('\n\n')
      .filter((e) => e.trim() !== '')
      .map((e) => {
        expect(e.startsWith('data: ')).toBe(true);
        return JSON.parse(e.slice(6)) as { type: string; audio?: string; usage?: Record<string, number> };
      });
    const deltas = events.slice(0, -1);
    expect(deltas.length).toBeGreaterThan(3);
    for (const d of deltas) expect(d.type).toBe('speech.audio.delta');
    const audio = deltas.flatMap((d) => [...atob(d.audio!)].map((ch) => ch.charCodeAt(0)));
    const plain = await bytesOf(await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: TEXT, response_format: 'pcm' }));
    expect(Uint8Array.from(audio)).toEqual(plain);
    const done = events.at(-1)!;
    expect(done.type).toBe('speech.audio.done');
    expect(done.usage!.input_tokens).toBeGreaterThan(TEXT.length / 2);
    expect(done.usage!.output_tokens).toBeGreaterThan(0);
    expect(done.usage!.total_tokens).toBe(done.usage!.input_tokens! + done.usage!.output_tokens!);
  });

  it('speed 0.25–4.0 is accepted: 0.25 four times as long, above 2 spoken at 2 (the model\'s fastest); outside refused', async () => {
    const audio = async (speed: number): Promise<Uint8Array> =>
      bytesOf(await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Speed changes the pace of speech.', response_format: 'pcm', speed }));
    const [slow, normal, two, four] = [await audio(0.25), await audio(1), await audio(2), await audio(4)];
    expect(slow.length / normal.length).toBeGreaterThan(3.5);
    // A little over 4x: slow speech is cut into shorter acoustic runs (the id cap shrinks with speed, bounding frames
    // per run), and each run has its own lead-in and tail of silence.
    expect(slow.length / normal.length).toBeLessThan(5);
    expect(two.length / normal.length).toBeLessThan(0.6);
    expect(four).toEqual(two);
    await expect(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hi.', speed: 4.5 })).rejects.toMatchObject({ status: 400, param: 'speed' });
  });

  it('model may be left out (this service has one model), like the older HTTP clients of this API', async () => {
    const res = await workerFetch('http://localhost/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: 'Hi there.', voice: 'joe', response_format: 'wav' }) });
    expect(res.status).toBe(200);
    expect(parseWav(await bytesOf(res)).dataSize).toBeGreaterThan(0);
  });
});

describe('OpenAI SDK: errors in OpenAI\'s shape', () => {
  const refusal = async (body: Record<string, unknown>): Promise<{ status: number; error: { message: string; type: string; param: string | null; code: string } }> => {
    try {
      await client.audio.speech.create(body as unknown as OpenAI.Audio.SpeechCreateParams);
    } catch (err) {
      if (!(err instanceof OpenAI.APIError)) throw err;
      return { status: err.status!, error: err.error as never };
    }
    throw new Error('expected a refusal');
  };

  it.each([
    { name: 'unknown model', body: { model: 'does-not-exist', voice: 'alloy', input: 'Hi.' }, param: 'model', code: 'model_not_found', says: /tts-1.*tts-1-hd.*gpt-4o-mini-tts/ },
    { name: 'unknown voice', body: { model: 'tts-1', voice: 'nobody', input: 'Hi.' }, param: 'voice', code: 'unknown_voice', says: /voices: joe; aliases: alloy, ash/ },
    { name: 'instructions', body: { model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'Hi.', instructions: 'Speak cheerfully.' }, param: 'instructions', code: 'unsupported_parameter', says: /not supported/ },
    { name: 'empty input', body: { model: 'tts-1', voice: 'alloy', input: '' }, param: 'input', code: 'empty_input', says: /empty/ },
    { name: 'whitespace input', body: { model: 'tts-1', voice: 'alloy', input: ' \n\t ' }, param: 'input', code: 'empty_input', says: /empty/ },
    { name: 'aac', body: { model: 'tts-1', voice: 'alloy', input: 'Hi.', response_format: 'aac' }, param: 'response_format', code: 'unsupported_format', says: /"mp3", "opus", "flac", "wav", "pcm"/ },
    { name: 'bad stream_format', body: { model: 'tts-1', voice: 'alloy', input: 'Hi.', stream_format: 'chunks' }, param: 'stream_format', code: 'bad_request', says: /sse/ },
  ])('400 for $name', async ({ body, param, code, says }) => {
    const { status, error } = await refusal(body);
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: 'invalid_request_error', param, code });
    expect(error.message).toMatch(says);
  });

  it('an empty instructions string asks for nothing and is accepted', async () => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hi.', instructions: '', response_format: 'wav' });
    expect(res.headers.get('Content-Type')).toBe('audio/wav');
    await res.arrayBuffer();
  });
});

describe('models and voices', () => {
  it('GET /v1/models lists the models in OpenAI\'s list shape; GET /v1/models/:id one, 404 for others', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) {
      expect(Object.keys(m).sort()).toEqual(['created', 'id', 'object', 'owned_by']);
      expect(m.object).toBe('model');
      ids.push(m.id);
    }
    expect(ids).toEqual(expect.arrayContaining(['edge-tts-1', 'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts']));
    expect(await client.models.retrieve('tts-1-hd')).toMatchObject({ id: 'tts-1-hd', object: 'model' });
    await expect(client.models.retrieve('whisper-1')).rejects.toMatchObject({ status: 404 });
  });

  it('GET /v1/voices lists each alias with the voice it stands for', async () => {
    const res = await workerFetch('http://localhost/v1/voices');
    const { aliases } = (await res.json()) as { aliases: { id: string; voice: string }[] };
    for (const name of ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse']) {
      expect(aliases).toContainEqual({ id: name, voice: 'joe' });
    }
  });

  it('VOICE_ALIASES configures the aliases (here: one, so alloy is unknown)', async () => {
    const app = createApp();
    const e = { ...env, VOICE_ALIASES: 'narrator=joe' } as unknown as Env; // generated Env pins vars to their defaults
    const headers = await authHeaders('openai');
    const list = (await (await app.request('/v1/voices', { headers }, e)).json()) as { aliases: unknown };
    expect(list.aliases).toEqual([{ id: 'narrator', voice: 'joe' }]);
    const post = (voice: string): Promise<Response> =>
      Promise.resolve(app.request('/v1/audio/speech', { method: 'POST', headers, body: JSON.stringify({ input: 'Hi.', voice, response_format: 'pcm' }) }, e));
    expect((await post('narrator')).status).toBe(200);
    expect((await post('alloy')).status).toBe(400);
  });

  it('the WebSocket accepts the aliases too, with the voice\'s own audio', async () => {
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'a', text: 'Hello there.', voice: 'shimmer', format: 'pcm16' });
    const a = checkRequest(await sock.untilEnd('a'), 'a').chunks;
    sock.send({ type: 'speak', id: 'j', text: 'Hello there.', voice: 'joe', format: 'pcm16' });
    const j = checkRequest(await sock.untilEnd('j'), 'j').chunks;
    sock.send({ type: 'speak', id: 'x', text: 'Hello there.', voice: 'nobody' });
    const err = await sock.nextText();
    sock.close();
    expect(a).toEqual(j);
    expect(err).toMatchObject({ type: 'error', id: 'x', code: 'unknown_voice' });
    expect(String(err.message)).toMatch(/voices: joe; aliases: alloy/);
  });

  it('a signed token as the SDK\'s apiKey is accepted (Authorization: Bearer)', async () => {
    const secret = 'openai-test-secret';
    const app = createApp();
    const secured = { ...env, AUTH_SECRET: secret } as Env;
    const token = await signToken(secret, { sub: 'sdk', exp: Math.floor(Date.now() / 1000) + 60, scopes: [] });
    const viaApp = (key: string): OpenAI => new OpenAI({ baseURL: 'http://localhost/v1', apiKey: key, maxRetries: 0, fetch: (url, init) => Promise.resolve(app.request(String(url), init, secured)) });
    const res = await viaApp(token).audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hi.', response_format: 'wav' });
    expect(parseWav(await bytesOf(res)).dataSize).toBeGreaterThan(0);
    await expect(viaApp('wrong').models.list()).rejects.toMatchObject({ status: 401 });
  });
});
