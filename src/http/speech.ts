/**
 * `POST /v1/audio/speech` (OpenAI-compatible): mp3 (default), opus, flac, wav or pcm, streamed as it is generated,
 * as raw bytes or as server-sent events (`stream_format: "sse"`). WAV and FLAC run the acoustic model over the whole
 * text first (src/stream/plan.ts) so their headers (and WAV's `Content-Length`) are exact; that costs first-byte time
 * on long texts (the acoustic model's share of the work: 20–30 ms per second of audio on the test machine). pcm gets a
 * `Content-Length` when the text is one chunk, where planning costs nothing (the run is needed first anyway).
 */
import type { Context } from 'hono';
import { phonemizeChunk } from '../phonemes';
import { StreamRequestError, synthesizeStream, type StreamPiece, type StreamSynthesizer } from '../stream';
import { fromArray, planAcoustic } from '../stream/plan';
import { planChunks } from '../text';
import { authOf } from './auth';
import { limitsFrom, voiceAliasesFrom } from './config';
import { TokenBudget } from './limits';
import { defaultSampleRate, parseSpeechRequest, SpeechError } from './openai-request';
import { createSink, HEADER_SIZED_FORMATS, type SpeechSink } from './openai-sinks';
import { sseDelta, sseDone, sseError } from './openai-sse';
import { getRuntime } from './runtime';
import { voiceErrorToRequestError } from './ws';

const fail = (c: Context, status: SpeechError['status'], code: string, message: string, param: string | null = null): Response =>
  c.json(new SpeechError(status, code, message, param).body(), status);

/**
 * The body's first bytes: at least the first piece of audio (its run's budget is reserved by then), and on until the
 * sink has bytes to send (the PCM framer holds back its first 100 ms). A refusal until then is still a clean 429; a
 * body aborted before its first byte would reach the client as a 500 instead of a detectable cut.
 */
async function bodyHead(pieces: AsyncGenerator<StreamPiece>, sink: SpeechSink): Promise<Uint8Array[]> {
  const head = [...sink.start()];
  for (let pulled = false; !pulled || !head.some((b) => b.length > 0); pulled = true) {
    const next = await pieces.next();
    if (next.done) break;
    head.push(...sink.push(next.value.samples));
  }
  return head;
}

/** Keeps a limiter call alive past the response (workerd would cancel it), when there is an ExecutionContext. */
function keepAlive(c: Context, done: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(done);
  } catch {
    // No ExecutionContext (app.request() in tests): the promise still runs.
  }
}

let speechFailureLoggedAt = 0;

/** Unexpected stream failures, at most one line (with stack) a minute: a failing model would log per request. */
function logSpeechFailure(err: unknown): void {
  if (Date.now() - speechFailureLoggedAt < 60_000) return;
  speechFailureLoggedAt = Date.now();
  console.error('speech stream failed', err);
}

/** Counts what the acoustic model reads and writes (the `usage` of the SSE done event). */
function counting(synth: StreamSynthesizer, usage: { ids: number; frames: number }): StreamSynthesizer {
  return {
    ...synth,
    acoustic: async (ids, voice, lengthScale) => {
      const out = await synth.acoustic(ids, voice, lengthScale);
      usage.ids += ids.length;
      usage.frames += out.frames;
      return out;
    },
  };
}

export async function handleSpeech(c: Context<{ Bindings: Env }>): Promise<Response> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return fail(c, 400, 'bad_request', 'body must be a JSON object');
  }
  const limits = limitsFrom(c.env);
  let req: ReturnType<typeof parseSpeechRequest>;
  try {
    req = parseSpeechRequest(raw, limits.maxTextChars);
  } catch (err) {
    if (err instanceof SpeechError) return c.json(err.body(), err.status);
    throw err;
  }
  const runtime = getRuntime(c.env.VOICES);
  if (!runtime) return fail(c, 503, 'internal', 'the worker was built without models');
  const sampleRate = req.sampleRate ?? defaultSampleRate(req.format, runtime.manifest.sampleRate);
  // The budget and the concurrency slot come before the voice lookup, so a refused caller causes no KV reads.
  const budget = new TokenBudget(c.env, authOf(c).sub);
  const refused = (err: StreamRequestError): Response => {
    c.header('Retry-After', String(Math.max(1, Math.ceil(budget.retryAfterMs / 1000))));
    return fail(c, 429, err.code, err.message);
  };
  try {
    await budget.admit();
  } catch (err) {
    if (!(err instanceof StreamRequestError)) throw err;
    return refused(err);
  }
  if (!(await budget.acquireSpeech())) {
    c.header('Retry-After', '1');
    return fail(c, 429, 'too_many_requests', `this token already has ${budget.limits.maxConcurrentSpeech} speech requests synthesising`);
  }
  const releaseSlot = (): void => keepAlive(c, budget.releaseSpeech());
  const usage = { ids: 0, frames: 0 };
  let pieces: AsyncGenerator<StreamPiece>;
  let sink: SpeechSink | undefined;
  let head: Uint8Array[];
  try {
    let embedding: Float32Array;
    try {
      embedding = await runtime.voices.resolve(req.voice, voiceAliasesFrom(c.env));
    } catch (err) {
      const e = voiceErrorToRequestError(err);
      if (e instanceof StreamRequestError && e.code !== 'internal') {
        releaseSlot();
        return fail(c, 400, e.code, e.message, 'voice');
      }
      throw err;
    }
    let synth = budget.meter(await runtime.synthesizer());
    const chunks = planChunks(req.input);
    const opts = { voice: embedding, speed: req.speed, phonemize: phonemizeChunk };
    let totalSamples: number | undefined;
    if (HEADER_SIZED_FORMATS.includes(req.format) || (req.format === 'pcm' && chunks.length === 1)) {
      const plan = await planAcoustic(synth, chunks, opts);
      Object.assign(usage, { ids: plan.inputIds, frames: plan.frames });
      totalSamples = plan.totalSamples;
      synth = plan.synth;
    } else {
      synth = counting(synth, usage);
    }
    sink = createSink(req.format, { modelRate: synth.sampleRate, sampleRate, bitrate: req.bitrate, totalSamples });
    pieces = synthesizeStream(synth, fromArray(chunks), opts);
    head = await bodyHead(pieces, sink);
  } catch (err) {
    sink?.free();
    releaseSlot();
    if (err instanceof StreamRequestError && err.code === 'rate_limited') return refused(err);
    throw err;
  }
  const out = sink;
  // A known length goes out as Content-Length only through a FixedLengthStream (workerd chunks any other body).
  const sized = !req.sse && out.contentLength !== undefined;
  const { readable, writable } = sized ? new FixedLengthStream(out.contentLength!) : new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const send = async (parts: Uint8Array[]): Promise<void> => {
    for (const bytes of parts) await writer.write(req.sse ? sseDelta(bytes) : bytes);
  };
  void (async () => {
    await send(head);
    for await (const piece of pieces) await send(out.push(piece.samples));
    await send(out.end());
    if (req.sse) await writer.write(sseDone(usage.ids, usage.frames));
    await writer.close();
  })()
    .catch(async (err: unknown) => {
      if (!(err instanceof StreamRequestError)) logSpeechFailure(err);
      // SSE reports the failure as a last event. A raw body cut short (budget used up mid-request, a model failure)
      // is aborted, never closed: the chunked body then ends without its terminating chunk (or short of its
      // Content-Length), so the client sees an error, not a short success.
      if (req.sse) {
        const code = err instanceof StreamRequestError ? err.code : 'internal';
        const ended = await writer
          .write(sseError(err instanceof StreamRequestError ? err.message : 'internal error', code))
          .then(() => writer.close())
          .then(() => true, () => false);
        if (ended) return;
      }
      await writer.abort(err).catch(() => undefined);
    })
    .finally(() => {
      out.free();
      releaseSlot();
    });
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (req.sse) headers['Content-Type'] = 'text/event-stream';
  else {
    headers['Content-Type'] = out.contentType;
    headers['X-Sample-Rate'] = String(sampleRate);
    if (sized) headers['Content-Length'] = String(out.contentLength);
  }
  return new Response(readable, { headers });
}
