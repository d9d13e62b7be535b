/** `POST /v1/audio/speech` (OpenAI-compatible): streams WAV or raw s16le as it is generated. */
import type { Context } from 'hono';
import { wavHeader } from '../audio';
import { phonemizeChunk } from '../phonemes';
import { PROTOCOL_SAMPLE_RATES } from '../protocol';
import { StreamFramer, StreamRequestError, synthesizeStream } from '../stream';
import { planChunks } from '../text';
import { authOf } from './auth';
import { limitsFrom } from './config';
import { TokenBudget } from './limits';
import { getRuntime } from './runtime';
import { voiceErrorToRequestError } from './ws';

type SpeechFormat = 'wav' | 'pcm';

const fail = (c: Context, status: 400 | 404 | 429 | 500 | 503, code: string, message: string): Response =>
  c.json({ error: { message, type: 'invalid_request_error', code } }, status);

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

export async function handleSpeech(c: Context<{ Bindings: Env }>): Promise<Response> {
  let body: Record<string, unknown>;
  try {
    const raw: unknown = await c.req.json();
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error();
    body = raw as Record<string, unknown>;
  } catch {
    return fail(c, 400, 'bad_request', 'body must be a JSON object');
  }
  const { input, voice } = body;
  if (typeof input !== 'string') return fail(c, 400, 'bad_request', 'input must be a string');
  if (typeof voice !== 'string' || voice === '') return fail(c, 400, 'bad_request', 'voice must be a non-empty string');
  const format = (body.response_format ?? 'wav') as SpeechFormat;
  if (format !== 'wav' && format !== 'pcm') return fail(c, 400, 'unsupported_format', 'response_format must be "wav" or "pcm"');
  const speed = body.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= 0.5 && speed <= 2)) return fail(c, 400, 'bad_request', 'speed must be within 0.5–2.0');
  const limits = limitsFrom(c.env);
  if (input.length > limits.maxTextChars) return fail(c, 400, 'text_too_long', `input exceeds ${limits.maxTextChars} characters`);
  const runtime = getRuntime(c.env.VOICES);
  if (!runtime) return fail(c, 503, 'internal', 'the worker was built without models');
  const sampleRate = body.sample_rate ?? runtime.manifest.sampleRate;
  if (typeof sampleRate !== 'number' || !PROTOCOL_SAMPLE_RATES.includes(sampleRate)) {
    return fail(c, 400, 'unsupported_format', `sample_rate must be one of ${PROTOCOL_SAMPLE_RATES.join(', ')}`);
  }
  let embedding: Float32Array;
  try {
    embedding = await runtime.voices.resolve(voice);
  } catch (err) {
    const e = voiceErrorToRequestError(err);
    if (e instanceof StreamRequestError && e.code !== 'internal') return fail(c, 400, e.code, e.message);
    throw err;
  }
  const budget = new TokenBudget(c.env, authOf(c).sub);
  try {
    await budget.admit();
  } catch (err) {
    if (!(err instanceof StreamRequestError)) throw err;
    c.header('Retry-After', String(Math.ceil(budget.retryAfterMs / 1000)));
    return fail(c, 429, err.code, err.message);
  }
  const synth = budget.meter(await runtime.synthesizer());
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const framer = new StreamFramer(synth.sampleRate, sampleRate, 100);
  void (async () => {
    if (format === 'wav') await writer.write(wavHeader(sampleRate));
    const stream = synthesizeStream(synth, fromArray(planChunks(input)), { voice: embedding, speed, phonemize: phonemizeChunk });
    for await (const piece of stream) for (const pcm of framer.push(piece.samples)) await writer.write(pcm);
    for (const pcm of framer.flush()) await writer.write(pcm);
    await writer.close();
  })().catch(async (err: unknown) => {
    console.error('speech stream failed', err);
    await writer.abort(err).catch(() => undefined);
  });
  return new Response(readable, {
    headers: {
      'Content-Type': format === 'wav' ? 'audio/wav' : `audio/L16; rate=${sampleRate}; channels=1`,
      'X-Sample-Rate': String(sampleRate),
      'Cache-Control': 'no-store',
    },
  });
}
