/** The Hono app: routes, auth, JSON errors. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { originAllowed } from '../auth';
import { wasmMemoryBytes } from '../model';
import { workerOpusMemoryBytes } from '../audio/opus/wasm-module';
import { OPUS_BITRATES } from '../audio/opus';
import { PROTOCOL_FORMATS } from '../protocol';
import { echo } from '../protocol/echo';
import { allowedOrigins, checkOrigin, requireAuth, requireScope } from './auth';
import { handleClientAsset } from './client-assets';
import { demoPage } from './demo';
import { pageSecurityHeaders } from './security-headers';
import { voiceAliasesFrom } from './config';
import { findModel, modelList } from './openai-models';
import { SpeechError } from './openai-request';
import { getRuntime } from './runtime';
import { handleSpeech } from './speech';
import { handleVoiceDelete, handleVoicePut } from './voices-write';
import { handleStream } from './ws';

export function createApp(): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>();

  app.get('/', (c) => c.html(demoPage, 200, pageSecurityHeaders(c.req.url)));
  // The browser client module, public like the demo page that imports it.
  app.get('/client/:file', (c) => handleClientAsset(c));

  app.get('/healthz', async (c) => {
    const runtime = getRuntime(c.env.VOICES);
    if (!runtime) return c.json({ ok: false, error: 'the worker was built without models' }, 503);
    const models = await runtime.models();
    return c.json({
      ok: true,
      source: runtime.source,
      model: { version: models.manifest.version, sampleRate: models.manifest.sampleRate, acoustic: models.manifest.acoustic.file, vocoder: models.manifest.vocoder.file },
      runtime: 'onnxruntime-web 1.30 (wasm, 1 thread)',
      // What clients may ask for (docs/protocol.md).
      stream: { formats: PROTOCOL_FORMATS, opusBitrates: OPUS_BITRATES, extensions: ['resumeFrom', 'ack'] },
      loadMs: models.loadMs,
      load: models.load,
      // ORT's wasm linear memory now (it only grows, so also its peak in this isolate); the JS heap is not visible here.
      // libopus's own wasm memory (16 MiB once the isolate served an Opus request) is counted apart.
      memory: { wasmBytes: wasmMemoryBytes(), opusWasmBytes: workerOpusMemoryBytes(), modelBytes: runtime.modelBytes },
    });
  });

  // Browser apps on other origins may call the API (token in a header or the query); ALLOWED_ORIGINS narrows who.
  // Before auth, so preflights pass and a 401 stays readable by the page (the client module reads it to fail fast).
  app.use(
    '/v1/*',
    cors({
      origin: (origin, c) => {
        const allowed = allowedOrigins(c.env);
        if (allowed.length === 0) return '*';
        return originAllowed(origin, allowed) ? origin : null;
      },
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['X-Sample-Rate', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use('/v1/*', requireAuth);
  app.get('/v1/stream', checkOrigin, (c) => handleStream(c));
  // Far above MAX_TEXT_CHARS even fully JSON-escaped; refuses huge bodies before they are read and parsed.
  const speechBody = bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.json({ error: { message: 'body larger than 256 KiB', code: 'text_too_long' } }, 413) });
  app.post('/v1/audio/speech', speechBody, (c) => handleSpeech(c));
  app.get('/v1/voices', async (c) => {
    const runtime = getRuntime(c.env.VOICES);
    if (!runtime) return c.json({ voices: [] });
    const voices = await runtime.voices.list();
    return c.json({
      voices: voices.map(({ id, name, language, sampleRate, description, license }) => ({ id, name, language, sampleRate, description, license })),
      // Other names accepted for `voice` (VOICE_ALIASES), e.g. OpenAI's, and the voice each stands for.
      aliases: [...voiceAliasesFrom(c.env)].map(([id, voice]) => ({ id, voice })),
    });
  });
  // OpenAI's model list shape; `model` in POST /v1/audio/speech accepts these ids.
  app.get('/v1/models', (c) => c.json(modelList()));
  app.get('/v1/models/:id', (c) => {
    const model = findModel(c.req.param('id'));
    if (model) return c.json(model);
    return c.json(new SpeechError(404, 'model_not_found', `model "${echo(c.req.param('id'))}" does not exist`, 'model').body(), 404);
  });

  app.put('/v1/voices/:id', requireScope('voices:write'), (c) => handleVoicePut(c));
  app.delete('/v1/voices/:id', requireScope('voices:write'), (c) => handleVoiceDelete(c));

  app.onError((err, c) => {
    console.error('unhandled', err);
    return c.json({ error: { message: 'internal error', code: 'internal' } }, 500);
  });
  return app;
}
