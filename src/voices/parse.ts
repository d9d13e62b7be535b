/** Voice sidecar validation, embedding decoding and blend specs ("a:0.7,b:0.3"). Pure. */
// Error messages quote the client's spec by a short prefix only.
import { echo } from '../protocol/echo';
import { VoiceError, type VoiceMeta } from './types';

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Validates a `<id>.json` sidecar. */
export function parseVoiceMeta(raw: unknown, expectedId?: string): VoiceMeta {
  if (typeof raw !== 'object' || raw === null) throw new VoiceError('corrupt', 'voice sidecar must be an object');
  const o = raw as Record<string, unknown>;
  const s = (k: string, fallback?: string): string => {
    const v = o[k] ?? fallback;
    if (typeof v !== 'string') throw new VoiceError('corrupt', `voice sidecar field "${k}" must be a string`);
    return v;
  };
  const id = s('id');
  if (!ID.test(id)) throw new VoiceError('corrupt', `voice id "${id}" is not valid`);
  if (expectedId !== undefined && id !== expectedId) throw new VoiceError('corrupt', `voice sidecar id "${id}" != "${expectedId}"`);
  const sampleRate = o.sampleRate;
  if (typeof sampleRate !== 'number') throw new VoiceError('corrupt', 'voice sidecar field "sampleRate" must be a number');
  return {
    id,
    name: s('name', id),
    language: s('language'),
    sampleRate,
    license: s('license', ''),
    source: s('source', ''),
    description: s('description', ''),
  };
}

/** Decodes a float32 little-endian embedding and checks its length. */
export function decodeEmbedding(bytes: ArrayBuffer, dim: number, id: string): Float32Array {
  if (bytes.byteLength !== dim * 4) {
    throw new VoiceError('corrupt', `voice "${id}" embedding has ${bytes.byteLength} bytes, expected ${dim * 4}`);
  }
  const view = new DataView(bytes);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = view.getFloat32(i * 4, true);
  for (const v of out) if (!Number.isFinite(v)) throw new VoiceError('corrupt', `voice "${id}" embedding is not finite`);
  return out;
}

export interface VoiceBlendPart {
  id: string;
  weight: number;
}

/** Voices in one blend: each may cost two KV reads on a cache miss, so this bounds the reads one request causes. */
export const MAX_BLEND_VOICES = 4;

/** "a" → [{a,1}]; "a:0.7,b:0.3" → weights as given (normalised when mixed). Weights are finite, sum finite. */
export function parseBlend(spec: string): VoiceBlendPart[] {
  const parts = spec.split(',').map((p) => p.trim());
  if (parts.length > MAX_BLEND_VOICES) throw new VoiceError('malformed', `a blend has at most ${MAX_BLEND_VOICES} voices`);
  const out: VoiceBlendPart[] = [];
  for (const part of parts) {
    const m = /^([^:\s]+)(?::\s*([0-9]*\.?[0-9]+))?$/.exec(part);
    if (!m || !ID.test(m[1]!)) throw new VoiceError('malformed', `voice "${echo(spec)}" is not an id or a blend like "a:0.7,b:0.3"`);
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    // "1" followed by 400 zeros parses to Infinity, and Infinity / Infinity would make a NaN embedding.
    if (!(weight > 0 && Number.isFinite(weight))) throw new VoiceError('malformed', `blend weight for "${echo(m[1]!)}" must be a finite number > 0`);
    out.push({ id: m[1]!, weight });
  }
  const total = out.reduce((sum, p) => sum + p.weight, 0);
  if (!Number.isFinite(total)) throw new VoiceError('malformed', 'blend weights must have a finite sum');
  return out;
}

/** Weighted average of embeddings (weights normalised to sum 1). */
export function blendEmbeddings(parts: { embedding: Float32Array; weight: number }[]): Float32Array {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0 && Number.isFinite(total))) throw new VoiceError('malformed', 'blend weights must have a positive, finite sum');
  const dim = parts[0]!.embedding.length;
  const out = new Float32Array(dim);
  // Each weight is normalised first, so no product can overflow float32.
  for (const { embedding, weight } of parts) {
    const w = weight / total;
    for (let i = 0; i < dim; i++) out[i] = out[i]! + embedding[i]! * w;
  }
  for (const v of out) if (!Number.isFinite(v)) throw new VoiceError('malformed', 'blend gives a non-finite embedding');
  return out;
}
