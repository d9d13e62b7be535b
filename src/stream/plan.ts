/**
 * Length before audio: runs the acoustic model over every run of the text first (the durations give each run's
 * exact audio), then hands synthesizeStream a synthesizer that replays those results, so formats that declare their
 * length in the header (WAV sizes, FLAC's total samples, `Content-Length`) can write it in their first bytes.
 *
 * The first pass is synthesizeStream itself with an acoustic model that records each result and reports zero frames
 * (so nothing is vocoded): the runs are cut exactly as the real pass cuts them. Features are kept for the first
 * KEEP_FEATURE_FRAMES frames only (about 30 s of audio, 2.7 MB) so a long text does not hold all of them; later runs
 * are recomputed when their turn comes (the model is deterministic; a run whose frame count changed is an error).
 */
import type { TextChunk } from '../text';
import { synthesizeStream, type StreamOptions, type StreamSynthesizer } from './synthesize';

/** Acoustic frames whose features are kept from the first pass (~30 s at 22050/256). */
export const KEEP_FEATURE_FRAMES = 2600;

type AcousticResult = Awaited<ReturnType<StreamSynthesizer['acoustic']>>;

export interface AcousticPlan {
  /** Audio samples the request will make, at the model rate. */
  totalSamples: number;
  /** Phoneme ids the acoustic model read (OpenAI's `input_tokens`). */
  inputIds: number;
  /** Acoustic frames it wrote (`output_tokens`). */
  frames: number;
  /** The synthesizer to stream with: replays the planned runs in order. */
  synth: StreamSynthesizer;
}

/** An array as the async iterable synthesizeStream reads. */
export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

export async function planAcoustic(
  synth: StreamSynthesizer,
  chunks: readonly TextChunk[],
  opts: Pick<StreamOptions, 'voice' | 'speed' | 'phonemize'>,
): Promise<AcousticPlan> {
  const planned: { ids: readonly number[]; frames: number; result: AcousticResult | undefined }[] = [];
  let kept = 0;
  let inputIds = 0;
  const recorder: StreamSynthesizer = {
    sampleRate: synth.sampleRate,
    hop: synth.hop,
    istft: synth.istft,
    vocoder: synth.vocoder,
    acoustic: async (ids, voice, lengthScale) => {
      const result = await synth.acoustic(ids, voice, lengthScale);
      inputIds += ids.length;
      const keep = kept + result.frames <= KEEP_FEATURE_FRAMES;
      if (keep) kept += result.frames;
      planned.push({ ids: [...ids], frames: result.frames, result: keep ? result : undefined });
      return { ...result, frames: 0 };
    },
  };
  for await (const piece of synthesizeStream(recorder, fromArray(chunks), opts)) void piece; // yields nothing
  const frames = planned.reduce((s, p) => s + p.frames, 0);
  let next = 0;
  const replay: StreamSynthesizer = {
    ...synth,
    acoustic: async (ids, voice, lengthScale) => {
      const p = planned[next++];
      if (!p || p.ids.length !== ids.length || p.ids.some((id, i) => id !== ids[i])) throw new Error('acoustic run differs from the planned one');
      if (p.result) {
        const { result } = p;
        p.result = undefined;
        return result;
      }
      const again = await synth.acoustic(ids, voice, lengthScale);
      if (again.frames !== p.frames) throw new Error(`acoustic run gave ${again.frames} frames, planned ${p.frames}`);
      return again;
    },
  };
  return { totalSamples: frames * synth.hop, inputIds, frames, synth: replay };
}

