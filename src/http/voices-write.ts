/**
 * `PUT /v1/voices/:id` and `DELETE /v1/voices/:id` (token scope `voices:write`): voices in KV as
 * `voices/<id>.bin` (float32 LE) + `voices/<id>.json` (sidecar). Bundled voices can be overridden, not deleted.
 */
import type { Context } from 'hono';
import { embeddingBytes, parseVoiceUpload, VOICE_ID, VoiceUploadError } from '../voice-upload';
import { getRuntime } from './runtime';

/** Largest accepted PUT body (a 64-value embedding in JSON is ~1.5 KB). */
const MAX_BODY_BYTES = 64 * 1024;

type C = Context<{ Bindings: Env }>;

const fail = (c: C, status: 400 | 404 | 409 | 413 | 503, code: string, message: string, field?: string): Response =>
  c.json({ error: field === undefined ? { message, code } : { message, code, field } }, status);

async function readJson(c: C): Promise<{ ok: true; value: unknown } | { ok: false; res: Response }> {
  const tooLarge = (): { ok: false; res: Response } => ({ ok: false, res: fail(c, 413, 'bad_request', `body larger than ${MAX_BODY_BYTES} bytes`) });
  const declared = Number(c.req.header('Content-Length') ?? '0');
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const bytes = await readAtMost(c.req.raw.body, MAX_BODY_BYTES);
  if (bytes === undefined) return tooLarge();
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false, res: fail(c, 400, 'bad_request', 'body must be JSON', 'body') };
  }
}

/**
 * The body's bytes, or undefined as soon as it passes `max`: reading stops there (the rest is never buffered), so a
 * chunked body without Content-Length cannot make the isolate hold more than `max` bytes.
 */
async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      // Stop here; the runtime drops the rest once the response is sent (cancelling the stream first made a local
      // `wrangler dev` answer 503 "worker restarted mid-request" instead of the 413).
      reader.releaseLock();
      return undefined;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export async function handleVoicePut(c: C): Promise<Response> {
  const runtime = getRuntime(c.env.VOICES);
  if (!runtime) return fail(c, 503, 'internal', 'the worker was built without models');
  const body = await readJson(c);
  if (!body.ok) return body.res;
  const id = c.req.param('id') ?? '';
  let upload;
  try {
    upload = parseVoiceUpload(id, body.value, { dim: runtime.manifest.voiceDim, sampleRate: runtime.manifest.sampleRate });
  } catch (err) {
    if (err instanceof VoiceUploadError) return fail(c, 400, 'bad_request', err.message, err.field);
    throw err;
  }
  let existed: boolean;
  try {
    existed = (await c.env.VOICES.get(`voices/${id}.json`, 'text')) !== null;
    // Embedding first: the registry lists voices by their sidecar, so a voice is visible only once both exist.
    await c.env.VOICES.put(`voices/${id}.bin`, embeddingBytes(upload.embedding));
    await c.env.VOICES.put(`voices/${id}.json`, JSON.stringify(upload.meta));
  } catch (err) {
    console.error(`voices: PUT ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
    return fail(c, 503, 'kv_unavailable', 'voice storage is unavailable; try again');
  }
  runtime.voices.forget(id);
  const { dim: _dim, ...meta } = upload.meta;
  return c.json({ voice: meta }, existed ? 200 : 201);
}

export async function handleVoiceDelete(c: C): Promise<Response> {
  const runtime = getRuntime(c.env.VOICES);
  if (!runtime) return fail(c, 503, 'internal', 'the worker was built without models');
  const id = c.req.param('id') ?? '';
  if (!VOICE_ID.test(id)) return fail(c, 400, 'bad_request', 'voice id must be 1-64 of A-Z a-z 0-9 _ . -', 'id');
  let stored: boolean;
  try {
    stored = (await c.env.VOICES.get(`voices/${id}.json`, 'text')) !== null;
    if (stored) {
      await c.env.VOICES.delete(`voices/${id}.json`);
      await c.env.VOICES.delete(`voices/${id}.bin`);
    }
  } catch (err) {
    console.error(`voices: DELETE ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
    return fail(c, 503, 'kv_unavailable', 'voice storage is unavailable; try again');
  }
  runtime.voices.forget(id);
  if (stored) return c.body(null, 204);
  if (runtime.voices.isBundled(id)) return fail(c, 409, 'bundled_voice', `voice "${id}" ships with the models and cannot be deleted`);
  return fail(c, 404, 'unknown_voice', `unknown voice "${id}"`);
}
