/**
 * The two ORT sessions (acoustic model, vocoder), loaded once per isolate, and their typed runs.
 * Shapes follow the manifest contract: acoustic ids [1,T] → durations [1,T], features [1,C,N]; the vocoder
 * streams (vocoder-stream.ts): features [1,C,m] + carried state → magnitude [1,nFft/2+1,m].
 */
import { parseManifest } from './manifest';
import { createSession, ort, tensorData, type OrtSession } from './ort';
import type { ModelAcousticOutput, ModelManifest, RawModelBundle } from './types';
import { VocoderStream } from './vocoder-stream';

export interface Models {
  source: string;
  manifest: ModelManifest;
  acoustic: OrtSession;
  vocoder: OrtSession;
  /** Milliseconds spent creating both sessions (cold start of the model runtime). */
  loadMs: number;
  /** Session creation per model, and the warm-up once one has finished (see warmUp). */
  load: { acousticSessionMs: number; vocoderSessionMs: number; warmUpMs?: number; warmUpRounds?: number };
}

let loading: Promise<Models> | undefined;

/** Loads the sessions on first use and shares them for the life of the isolate. A failed load is retried next call. */
export function loadModels(bundle: RawModelBundle): Promise<Models> {
  loading ??= (async () => {
    const t0 = Date.now();
    const manifest = parseManifest(bundle.manifest);
    const preOptimized = manifest.optimized !== undefined;
    const acoustic = await createSession(bundle.acoustic, preOptimized);
    const t1 = Date.now();
    const vocoder = await createSession(bundle.vocoder, preOptimized);
    const t2 = Date.now();
    return { source: bundle.source, manifest, acoustic, vocoder, loadMs: t2 - t0, load: { acousticSessionMs: t1 - t0, vocoderSessionMs: t2 - t1 } };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * Warm-up rounds. Each is one acoustic run on a sentence-sized chunk and the vocoder calls of one stream (windows of
 * 7, 14, 28, 56, 86 frames, as src/stream/synthesize.ts asks for them). The first runs of each kernel are slow until
 * V8 has compiled them optimised (a 97-id chunk: ~400 ms, then ~200 ms, ~65 ms after ten runs); a single tiny run did
 * not get past that. Warming moves that cost off later requests but does not remove it, so it runs only at the lowest
 * priority (see src/http/runtime.ts).
 */
export const WARM_UP_ROUNDS = 3;

/** What a warm-up did. */
export interface WarmUp {
  rounds: number;
  ms: number;
}

/** Phonemes of an ordinary sentence (espeak-ng IPA, as the front end writes them), for realistic warm-up sizes. */
const WARM_UP_IPA = 'ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑːɡ, ænd ɹˈʌnz əwˈeɪ bɪfˌoːɹ ˈɛnɪwˌʌn nˈoʊtɪsᵻz.';

function warmUpIds(idMap: Record<string, number>): number[] {
  const pad = idMap['_'] ?? 0;
  const ids = [idMap['^'] ?? 1];
  for (const ch of WARM_UP_IPA) {
    const id = idMap[ch];
    if (id !== undefined) ids.push(pad, id);
  }
  ids.push(pad, idMap['$'] ?? 2);
  return ids;
}

/** Runs `rounds` warm-up rounds, each model run through `turn` (the scheduler, so requests go first). */
export async function warmUp(models: Models, turn: <T>(run: () => Promise<T>) => Promise<T>, rounds = WARM_UP_ROUNDS): Promise<WarmUp> {
  const t0 = Date.now();
  const { manifest } = models;
  const ids = warmUpIds(manifest.phonemes.idMap);
  const voice = new Float32Array(manifest.voiceDim);
  const reach = Math.ceil(manifest.nFft / 2 / manifest.hopSize);
  for (let round = 0; round < rounds; round++) {
    const { features, frames } = await turn(() => synthesizeIds(models, ids, voice, 1));
    const stream = new VocoderStream(models, features, frames);
    for (let a = 0, size = 7; a < frames; a += size, size = Math.min(86, size * 2)) {
      const b = Math.min(frames, a + size);
      await turn(() => stream.through(b + reach));
    }
  }
  return { rounds, ms: Date.now() - t0 };
}

/** Runs the acoustic model on one chunk's ids. */
export async function synthesizeIds(
  models: Models,
  ids: readonly number[],
  voice: Float32Array,
  lengthScale: number,
): Promise<ModelAcousticOutput> {
  const { featureDim } = models.manifest;
  const feeds = {
    ids: new ort.Tensor('int64', BigInt64Array.from(ids, (n) => BigInt(n)), [1, ids.length]),
    voice: new ort.Tensor('float32', voice, [1, voice.length]),
    length_scale: new ort.Tensor('float32', Float32Array.of(lengthScale * models.manifest.acoustic.durationScale), [1]),
  };
  const out = await models.acoustic.run(feeds);
  const dur = tensorData<BigInt64Array>(out, 'durations');
  const feat = tensorData<Float32Array>(out, 'features');
  const frames = feat.dims[2] ?? 0;
  if (feat.dims[1] !== featureDim) throw new Error(`acoustic features have ${feat.dims[1]} channels, manifest says ${featureDim}`);
  const durations = Int32Array.from(dur.data, (d) => Number(d));
  return { durations, features: feat.data, frames };
}
