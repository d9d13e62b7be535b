/** Validation of models-int8/manifest.json (the contract with the model export). Pure. */
import type { ModelManifest } from './types';

function fail(msg: string): never {
  throw new Error(`manifest: ${msg}`);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function int(o: Record<string, unknown>, key: string, min = 1): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`${key} must be an integer >= ${min}`);
  return v;
}

/** A positive number, or `fallback` when the key is absent. */
function positive(o: Record<string, unknown>, key: string, fallback: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${key} must be a positive number`);
  return v;
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(`${key} must be a non-empty string`);
  return v;
}

function streaming(s: Record<string, unknown>): { lookaheadFrames: number; layers: number; stateShape: number[] } {
  const shape = s.stateShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    fail('vocoder.streaming.stateShape must be three positive integers');
  }
  const lookaheadFrames = int(s, 'lookaheadFrames', 0);
  const layers = int(s, 'layers');
  if (lookaheadFrames % layers !== 0) fail('vocoder.streaming.lookaheadFrames must be a multiple of layers');
  return { lookaheadFrames, layers, stateShape: shape as number[] };
}

/** Parses and checks a manifest; throws with the offending field named. */
export function parseManifest(raw: unknown): ModelManifest {
  const m = obj(raw, 'manifest');
  const window = m.window ?? 'hann';
  if (window !== 'hann') fail(`window must be "hann", got ${JSON.stringify(window)}`);
  const nFft = int(m, 'nFft');
  const hopSize = int(m, 'hopSize');
  if ((nFft & (nFft - 1)) !== 0) fail('nFft must be a power of two');
  const phonemes = obj(m.phonemes, 'phonemes');
  const idMapRaw = obj(phonemes.idMap, 'phonemes.idMap');
  const idMap: Record<string, number> = {};
  for (const [sym, id] of Object.entries(idMapRaw)) {
    // Piper's own map stores a list of ids per symbol; accept both shapes.
    const n = Array.isArray(id) ? id[0] : id;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) fail(`phonemes.idMap[${JSON.stringify(sym)}] must be an id`);
    idMap[sym] = n;
  }
  const acoustic = obj(m.acoustic, 'acoustic');
  const vocoder = obj(m.vocoder, 'vocoder');
  return {
    version: typeof m.version === 'string' || typeof m.version === 'number' ? String(m.version) : 'unversioned',
    sampleRate: int(m, 'sampleRate'),
    hopSize,
    nFft,
    window: 'hann',
    featureDim: int(m, 'featureDim'),
    voiceDim: int(m, 'voiceDim'),
    phonemes: { idMap },
    acoustic: { file: str(acoustic, 'file'), durationScale: positive(acoustic, 'durationScale', 1) },
    vocoder: { file: str(vocoder, 'file'), ...streaming(obj(vocoder.streaming, 'vocoder.streaming')) },
    ...(m.optimized === undefined ? {} : { optimized: str(m, 'optimized') }),
  };
}
