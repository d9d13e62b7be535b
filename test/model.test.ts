import { describe, expect, it } from 'vitest';
import { bundle } from '../vendor/models';
import { Istft, PhaseFromMagnitude, type AudioSpectra } from '../src/audio';
import { loadModels, synthesizeIds, vocodeFrames, type Models } from '../src/model';
import { phonemizeChunk } from '../src/phonemes';
import { planChunks } from '../src/text';
import { decodeEmbedding, parseVoiceMeta } from '../src/voices';

// The real int8 models in workerd: windowed (streaming) vocoding must give the same audio as one whole run.

/** Turns a window's vocoder spectra into what is synthesised, `last` being the last frame the window commits. */
type Shape = (spectra: AudioSpectra, last: number, frames: number) => AudioSpectra;

async function acousticRun(models: Models, text: string): Promise<{ ids: number[]; durations: Int32Array; features: Float32Array; frames: number }> {
  const v = bundle!.voices[0]!;
  const voice = decodeEmbedding(v.embedding, models.manifest.voiceDim, parseVoiceMeta(v.meta).id);
  const { ids } = phonemizeChunk(planChunks(text)[0]!);
  return { ids, ...(await synthesizeIds(models, ids, voice, 1)) };
}

/**
 * Relative error between whole-utterance audio and the same audio made window by window as the Worker streams it
 * (7, 14, 28, then 43 frames). `lookAhead` vocodes one frame past what each window's inverse STFT needs;
 * `newShape` gives each of the two passes its own (stateful) shaping.
 */
async function streamedVsWhole(models: Models, features: Float32Array, frames: number, newShape: () => Shape, lookAhead: 0 | 1): Promise<number> {
  const istft = new Istft({ nFft: models.manifest.nFft, hop: models.manifest.hopSize });
  const whole = istft.synthesize(newShape()(await vocodeFrames(models, features, frames, 0, frames - 1), frames - 1, frames), 0, frames, frames);
  const shape = newShape();
  const streamed: number[] = [];
  let size = 7;
  for (let a = 0; a < frames; ) {
    const b = Math.min(frames, a + size);
    const { first, last } = istft.framesFor(a, b, frames);
    const spectra = await vocodeFrames(models, features, frames, first, Math.min(frames - 1, last + lookAhead));
    streamed.push(...istft.synthesize(shape(spectra, last, frames), a, b, frames));
    a = b;
    size = Math.min(43, size * 2);
  }
  expect(streamed.length).toBe(whole.length);
  let peak = 0;
  let err = 0;
  let energy = 0;
  for (let i = 0; i < whole.length; i++) {
    peak = Math.max(peak, Math.abs(whole[i]!));
    err += (whole[i]! - streamed[i]!) ** 2;
    energy += whole[i]! ** 2;
  }
  expect(peak).toBeGreaterThan(0.01); // not silence
  return Math.sqrt(err / energy);
}

describe('models in workerd', () => {
  it('streams the same audio as whole-utterance synthesis', async () => {
    const models = await loadModels(bundle!);
    const { ids, durations, features, frames } = await acousticRun(models, 'The quick brown fox jumps over the lazy dog, twice.');
    expect(durations.length).toBe(ids.length);
    expect(durations.reduce((s, d) => s + d, 0)).toBe(frames);
    expect(frames).toBeGreaterThan(20);
    // The vocoder's activation scales are calibrated at export (static int8), so a frame's spectrum depends only on the
    // frames in its receptive field. Not bit-exact: ORT's kernels round differently for different window lengths and a
    // rare int8 rounding flip turns that into a small error (about -42 dB measured on a dev-length sentence). Bound it
    // at -34 dB so a context or iSTFT bug (errors ~1) cannot pass.
    expect(await streamedVsWhole(models, features, frames, () => (spectra) => spectra, 0)).toBeLessThan(0.02);
  });

  it('with the phase rebuilt from the magnitudes (as served), streams the same audio as one whole pass', async () => {
    const models = await loadModels(bundle!);
    const { features, frames } = await acousticRun(models, 'The quick brown fox jumps over the lazy dog, twice, and then it sleeps.');
    const opts = { nFft: models.manifest.nFft, hop: models.manifest.hopSize };
    // Each frame's phase integrates over every frame before it, so a difference would grow along the utterance.
    const newShape = (): Shape => {
      const phase = new PhaseFromMagnitude(opts);
      return (spectra, last, total) => phase.apply(spectra, last, total);
    };
    const error = await streamedVsWhole(models, features, frames, newShape, 1);
    console.log(`phase-rebuilt streamed vs whole: ${(20 * Math.log10(error)).toFixed(1)} dB over ${frames} frames`);
    expect(error).toBeLessThan(10 ** (-35 / 20));
  });
});
