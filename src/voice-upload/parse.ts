/**
 * Validation of `PUT /v1/voices/:id` bodies: metadata plus a speaker embedding that must have the manifest's
 * voiceDim, finite values and a sane L2 norm (the model was trained on unit-norm embeddings; far from 1 it speaks
 * garbage or clips). Pure.
 */

export interface VoiceUploadOptions {
  /** Embedding size (manifest voiceDim). */
  dim: number;
  /** The model's sample rate (a voice's sidecar must match it). */
  sampleRate: number;
  /** Accepted L2 norm range of the embedding. @default [0.25, 4] */
  normRange?: readonly [number, number];
  /** Largest accepted |value| of one component. @default 10 */
  maxAbs?: number;
}

/** A validated upload: the sidecar to store as `voices/<id>.json` and the float32 LE bytes for `voices/<id>.bin`. */
export interface VoiceUpload {
  meta: { id: string; name: string; language: string; sampleRate: number; license: string; source: string; description: string; dim: number };
  embedding: Float32Array;
}

export class VoiceUploadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const VOICE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const FIELDS = new Set(['id', 'name', 'language', 'sampleRate', 'license', 'source', 'description', 'embedding', 'dim']);
// Control characters (C0, DEL, C1) and bidi overrides have no place in names shown in a UI.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function text(o: Record<string, unknown>, key: string, max: number, fallback?: string): string {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string') throw new VoiceUploadError(key, `${key} must be a string`);
  if (v.length > max) throw new VoiceUploadError(key, `${key} is longer than ${max} characters`);
  if (UNSAFE_TEXT.test(v)) throw new VoiceUploadError(key, `${key} contains control characters`);
  return v;
}

/** Validates an upload for voice `id`; throws VoiceUploadError naming the field. */
export function parseVoiceUpload(id: string, raw: unknown, opts: VoiceUploadOptions): VoiceUpload {
  if (!VOICE_ID.test(id)) throw new VoiceUploadError('id', 'voice id must be 1-64 of A-Z a-z 0-9 _ . - (not starting with ".")');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new VoiceUploadError('body', 'body must be a JSON object');
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) throw new VoiceUploadError(key, `unknown field "${key}"`);
  if (o.id !== undefined && o.id !== id) throw new VoiceUploadError('id', `body id "${String(o.id)}" differs from the path's "${id}"`);
  if (o.sampleRate !== undefined && o.sampleRate !== opts.sampleRate) throw new VoiceUploadError('sampleRate', `sampleRate must be ${opts.sampleRate} (the model's)`);
  if (o.dim !== undefined && o.dim !== opts.dim) throw new VoiceUploadError('dim', `dim must be ${opts.dim} (the model's voiceDim)`);
  const name = text(o, 'name', 100, id).trim();
  if (name === '') throw new VoiceUploadError('name', 'name must not be empty');
  const language = text(o, 'language', 35);
  if (!LANGUAGE.test(language)) throw new VoiceUploadError('language', 'language must be a BCP 47 tag such as en-US');
  const meta = {
    id,
    name,
    language,
    sampleRate: opts.sampleRate,
    license: text(o, 'license', 100, ''),
    source: text(o, 'source', 300, ''),
    description: text(o, 'description', 500, ''),
    dim: opts.dim,
  };
  return { meta, embedding: parseEmbedding(o.embedding, opts) };
}

function parseEmbedding(v: unknown, opts: VoiceUploadOptions): Float32Array {
  if (!Array.isArray(v)) throw new VoiceUploadError('embedding', `embedding must be an array of ${opts.dim} numbers`);
  if (v.length !== opts.dim) throw new VoiceUploadError('embedding', `embedding has ${v.length} values, expected ${opts.dim}`);
  const maxAbs = opts.maxAbs ?? 10;
  const out = new Float32Array(opts.dim);
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new VoiceUploadError('embedding', `embedding[${i}] is not a finite number`);
    if (Math.abs(x) > maxAbs) throw new VoiceUploadError('embedding', `embedding[${i}] is outside ±${maxAbs}`);
    out[i] = x;
    sq += out[i]! * out[i]!;
  }
  const norm = Math.sqrt(sq);
  const [lo, hi] = opts.normRange ?? [0.25, 4];
  if (!(norm >= lo && norm <= hi)) throw new VoiceUploadError('embedding', `embedding L2 norm ${norm.toFixed(3)} is outside ${lo}–${hi}`);
  return out;
}

/** Float32 little-endian bytes (the `.bin` layout the registry reads). */
export function embeddingBytes(embedding: Float32Array): Uint8Array {
  const bytes = new Uint8Array(embedding.length * 4);
  const view = new DataView(bytes.buffer);
  embedding.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return bytes;
}
