/**
 * Per-isolate runtime: the model bundle, the ORT sessions (loaded once, as the isolate starts) and the voice registry.
 */
import { bundle } from '../../vendor/models';
import { Istft } from '../audio';
import { loadModels, ModelScheduler, parseManifest, synthesizeIds, VocoderStream, warmUp, type ModelManifest, type Models } from '../model';
import { phonemizeChunk } from '../phonemes';
import { planChunks } from '../text';
import type { StreamSynthesizer } from '../stream';
import { decodeEmbedding, parseVoiceMeta, VoiceRegistry, type Voice, type VoicesKv } from '../voices';

export interface HttpRuntime {
  source: string;
  manifest: ModelManifest;
  /** Bytes of the two bundled .onnx files (ORT copies them into its wasm memory). */
  modelBytes: number;
  voices: VoiceRegistry;
  /**
   * A synthesizer for one request (call once per `speak` or HTTP synthesis): its model runs go through the isolate's
   * scheduler, which knows from it whether this request has sent audio yet. Loads the sessions on first call.
   */
  synthesizer(): Promise<StreamSynthesizer>;
  /**
   * The loaded models once warmed up (`/healthz`): the warm-up runs at the lowest priority, in this caller's request,
   * so requests arriving meanwhile go first and a request that starts the load is not held up by it.
   */
  models(): Promise<Models>;
}

let runtime: HttpRuntime | undefined;
let synth: Promise<() => StreamSynthesizer> | undefined;
/** Every model run of the isolate, all sockets and HTTP requests, goes through this one queue. */
const scheduler = new ModelScheduler();
let warming: { since: number; done: Promise<Models> } | undefined;
/** A warm-up not finished after this long belongs to a request that went away (its timers died with it): start again. */
const WARM_UP_STALE_MS = 20_000;

/** Loads the sessions and warms the front end once per isolate; shared by every request (and by startModels). */
function readySynthesizer(raw: NonNullable<typeof bundle>): Promise<() => StreamSynthesizer> {
  synth ??= loadModels(raw).then((m) => toSynthesizer(m));
  synth.catch(() => (synth = undefined));
  return synth;
}

/**
 * Starts the model load while the isolate starts (src/index.ts awaits it at the top level), so a fresh isolate's
 * first request does not wait for it: Cloudflare starts an isolate while the client's TLS handshake is still going
 * on, and the load (about 0.3 s here, mostly onnxruntime's own start-up) fits Workers' 1 s budget for the global
 * scope. Never throws: a failed load is retried, and reported, by the first request that needs the models.
 */
export async function startModels(): Promise<void> {
  if (bundle) await readySynthesizer(bundle).catch(() => undefined);
}

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
  // Models and synthesizer come up together, so `/healthz` (which awaits models()) also warms the iSTFT.
  const synthesizer = (): Promise<StreamSynthesizer> => readySynthesizer(raw).then((forRequest) => forRequest());
  runtime = {
    source: raw.source,
    manifest,
    modelBytes: raw.acoustic.byteLength + raw.vocoder.byteLength,
    voices: new VoiceRegistry({ kv, bundled, dim: manifest.voiceDim }),
    models: () => {
      if (!warming || (warming.since > 0 && Date.now() - warming.since > WARM_UP_STALE_MS)) {
        const idle = scheduler.request('warm-up', { idle: true });
        const entry = {
          since: Date.now(),
          done: synthesizer()
            .then(() => loadModels(raw))
            .then(async (m) => {
              const w = await warmUp(m, (run) => idle.run(run));
              m.load.warmUpMs = w.ms;
              m.load.warmUpRounds = w.rounds;
              entry.since = 0; // finished: never stale
              return m;
            }),
        };
        entry.done.catch(() => (warming = undefined));
        warming = entry;
      }
      return warming.done;
    },
    synthesizer,
  };
  return runtime;
}

/** Warms the inverse STFT and the front end, then returns a factory of per-request synthesizers. */
function toSynthesizer(models: Models): () => StreamSynthesizer {
  const { sampleRate, hopSize, nFft } = models.manifest;
  const istft = new Istft({ nFft, hop: hopSize });
  // One small run so the first request does not run the FFT loops unoptimised (a few ms; far more on a busy CPU).
  const frames = 16;
  const bins = nFft / 2 + 1;
  istft.synthesize({ re: new Float32Array(bins * frames), im: new Float32Array(bins * frames), stride: frames, firstFrame: 0 }, 0, frames, frames);
  // The front end parses its lexicon and letter-to-sound tables on first use (26-53 ms once per isolate): do it here,
  // with the models, rather than inside the first request's time to first audio.
  for (const chunk of planChunks('Dr. Smith paid $4.50 at 7:15 pm, didn\'t he?')) phonemizeChunk(chunk);
  const msPerFrame = (1000 * hopSize) / sampleRate;
  return () => {
    const turn = scheduler.request();
    return {
      sampleRate,
      hop: hopSize,
      // Shared by all sockets of the isolate: synthesize() is synchronous, so its scratch buffers are never shared mid-call.
      istft,
      acoustic: (ids, voice, lengthScale) => turn.run(() => synthesizeIds(models, ids, voice, lengthScale)),
      vocoder: (features, frames) => {
        const stream = new VocoderStream(models, features, frames);
        // The audio a call adds (the frames it returns), for the queue's deadline.
        return { through: (last) => turn.run(() => stream.through(last), Math.max(0, Math.min(last, frames - 1) + 1 - stream.done) * msPerFrame) };
      },
      close: () => turn.close(),
    };
  };
}
