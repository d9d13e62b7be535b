/**
 * Per-isolate runtime: the model bundle, the ORT sessions (loaded once, on first use) and the voice registry.
 */
import { bundle } from '../../vendor/models';
import { Istft } from '../audio';
import { loadModels, parseManifest, synthesizeIds, vocodeFrames, type ModelManifest, type Models } from '../model';
import type { StreamSynthesizer } from '../stream';
import { decodeEmbedding, parseVoiceMeta, VoiceRegistry, type Voice, type VoicesKv } from '../voices';

export interface HttpRuntime {
  source: string;
  manifest: ModelManifest;
  voices: VoiceRegistry;
  /** Loads the sessions on first call; later calls share them. */
  synthesizer(): Promise<StreamSynthesizer>;
  models(): Promise<Models>;
}

let runtime: HttpRuntime | undefined;
let synth: Promise<StreamSynthesizer> | undefined;

/** The isolate's runtime, or undefined when the worker was built without models. */
export function getRuntime(kv: VoicesKv | undefined): HttpRuntime | undefined {
  if (runtime) return runtime;
  if (!bundle) return undefined;
  const raw = bundle;
  const manifest = parseManifest(raw.manifest);
  const bundled: Voice[] = raw.voices.map((v) => {
    const meta = parseVoiceMeta(v.meta);
    return { meta, embedding: decodeEmbedding(v.embedding, manifest.voiceDim, meta.id) };
  });
  const models = (): Promise<Models> => loadModels(raw);
  runtime = {
    source: raw.source,
    manifest,
    voices: new VoiceRegistry({ kv, bundled, dim: manifest.voiceDim }),
    models,
    synthesizer: () => {
      synth ??= models().then((m) => toSynthesizer(m));
      synth.catch(() => (synth = undefined));
      return synth;
    },
  };
  return runtime;
}

function toSynthesizer(models: Models): StreamSynthesizer {
  const { sampleRate, hopSize, nFft } = models.manifest;
  return {
    sampleRate,
    hop: hopSize,
    // Shared by all sockets of the isolate: synthesize() is synchronous, so its scratch buffers are never shared mid-call.
    istft: new Istft({ nFft, hop: hopSize }),
    acoustic: (ids, voice, lengthScale) => synthesizeIds(models, ids, voice, lengthScale),
    vocode: (features, frames, first, last) => vocodeFrames(models, features, frames, first, last),
  };
}
