/** `POST /v1/audio/speech` (OpenAI-compatible): streams WAV, raw s16le or Ogg Opus as it is generated. */
import type { Context } from 'hono';
import { wavHeader } from '../audio';
import { OggOpusStream, OPUS_BITRATES, OPUS_DECODE_RATE } from '../audio/opus';
import { workerOpusRuntime } from '../audio/opus/wasm-module';
import { phonemizeChunk } from '../phonemes';
import { PROTOCOL_SAMPLE_RATES } from '../protocol';
import { StreamFramer, StreamRequestError, synthesizeStream } from '../stream';
import { planChunks } from '../text';
import { authOf } from './auth';
import { limitsFrom } from './config';
import { TokenBudget } from './limits';
import { getRuntime } from './runtime';
import { voiceErrorToRequestError } from './ws';

const SPEECH_FORMATS = ['wav', 'pcm', 'opus'] as const;
type SpeechFormat = (typeof SPEECH_FORMATS)[number];

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
  if (!SPEECH_FORMATS.includes(format)) {
    return fail(c, 400, 'unsupported_format', `response_format must be one of ${SPEECH_FORMATS.map((f) => `"${f}"`).join(', ')}`);
  }
  const bitrate = body.bitrate ?? OPUS_BITRATES.default;
  if (body.bitrate !== undefined && format !== 'opus') return fail(c, 400, 'bad_request', 'bitrate applies only to response_format "opus"');
  if (typeof bitrate !== 'number' || !Number.isInteger(bitrate) || bitrate < OPUS_BITRATES.min || bitrate > OPUS_BITRATES.max) {
    return fail(c, 400, 'bad_request', `bitrate must be an integer from ${OPUS_BITRATES.min} to ${OPUS_BITRATES.max} (bit/s)`);
  }
  const speed = body.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= 0.5 && speed <= 2)) return fail(c, 400, 'bad_request', 'speed must be within 0.5–2.0');
  const limits = limitsFrom(c.env);
  if (input.length > limits.maxTextChars) return fail(c, 400, 'text_too_long', `input exceeds ${limits.maxTextChars} characters`);
  const runtime = getRuntime(c.env.VOICES);
  if (!runtime) return fail(c, 503, 'internal', 'the worker was built without models');
  const sampleRate = body.sample_rate ?? (format === 'opus' ? OPUS_DECODE_RATE : runtime.manifest.sampleRate);
  if (format === 'opus' && sampleRate !== OPUS_DECODE_RATE) {
    return fail(c, 400, 'unsupported_format', `sample_rate must be left out or ${OPUS_DECODE_RATE} with response_format "opus"`);
  }
  if (typeof sampleRate !== 'number' || (format !== 'opus' && !PROTOCOL_SAMPLE_RATES.includes(sampleRate))) {
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
  const sink = format === 'opus' ? opusSink(synth.sampleRate, bitrate) : pcmSink(format, synth.sampleRate, sampleRate);
  void (async () => {
    for (const bytes of sink.start()) await writer.write(bytes);
    const stream = synthesizeStream(synth, fromArray(planChunks(input)), { voice: embedding, speed, phonemize: phonemizeChunk });
    for await (const piece of stream) for (const bytes of sink.push(piece.samples)) await writer.write(bytes);
    for (const bytes of sink.end()) await writer.write(bytes);
    await writer.close();
  })()
    .catch(async (err: unknown) => {
      console.error('speech stream failed', err);
      await writer.abort(err).catch(() => undefined);
    })
    .finally(() => sink.free());
  return new Response(readable, {
    headers: {
      'Content-Type': CONTENT_TYPES[format](sampleRate),
      'X-Sample-Rate': String(sampleRate),
      'Cache-Control': 'no-store',
    },
  });
}

const CONTENT_TYPES: Record<SpeechFormat, (rate: number) => string> = {
  wav: () => 'audio/wav',
  pcm: (rate) => `audio/L16; rate=${rate}; channels=1`,
  opus: () => 'audio/ogg; codecs=opus',
};

/** Turns the model's float audio into the response body's bytes, piece by piece. */
interface SpeechSink {
  start(): Uint8Array[];
  push(samples: Float32Array): Uint8Array[];
  end(): Uint8Array[];
  free(): void;
}

function pcmSink(format: 'wav' | 'pcm', modelRate: number, sampleRate: number): SpeechSink {
  const framer = new StreamFramer(modelRate, sampleRate, 100);
  return {
    start: () => (format === 'wav' ? [wavHeader(sampleRate)] : []),
    push: (samples) => framer.push(samples),
    end: () => framer.flush(),
    free: () => undefined,
  };
}

/** Ogg Opus, one page per piece of synthesised audio so the body streams. */
function opusSink(modelRate: number, bitrate: number): SpeechSink {
  const ogg = new OggOpusStream(workerOpusRuntime(), { sourceRate: modelRate, bitrate });
  const nonEmpty = (b: Uint8Array): Uint8Array[] => (b.length > 0 ? [b] : []);
  return {
    start: () => [ogg.headers()],
    push: (samples) => nonEmpty(ogg.push(samples)),
    end: () => [ogg.finish()],
    free: () => ogg.free(),
  };
}
