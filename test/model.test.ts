import { describe, expect, it } from 'vitest';
import { bundle } from '../vendor/models';
import { Istft, PhaseFromMagnitude, type AudioMagnitudes } from '../src/audio';
import { loadModels, synthesizeIds, VocoderStream, type Models } from '../src/model';
import { phonemizeChunk } from '../src/phonemes';
import { planChunks } from '../src/text';
import { decodeEmbedding, parseVoiceMeta } from '../src/voices';

// The real int8 models in workerd: the vocoder streamed window by window (its state carried from call to call) must
// give the same audio as one whole run.

async function acousticRun(models: Models, text: string): Promise<{ ids: number[]; durations: Int32Array; features: Float32Array; frames: number }> {
  const v = bundle!.voices[0]!;
  const voice = decodeEmbedding(v.embedding, models.manifest.voiceDim, parseVoiceMeta(v.meta).id);
  const { ids } = phonemizeChunk(planChunks(text)[0]!);
  return { ids, ...(await synthesizeIds(models, ids, voice, 1)) };
}

/** Windows as src/stream/synthesize.ts asks for them: 7, 14, 28, 56 then 86 frames, each through the iSTFT's reach + 1. */
function windows(frames: number, istft: Istft): { a: number; b: number; through: number }[] {
  const out = [];
  for (let a = 0, size = 7; a < frames; a += size, size = Math.min(86, size * 2)) {
    const b = Math.min(frames, a + size);
    out.push({ a, b, through: Math.min(frames - 1, istft.framesFor(a, b, frames).last + 1) });
  }
  return out;
}

function concat(parts: AudioMagnitudes[], bins: number): Float32Array {
  const frames = parts.reduce((n, p) => n + p.stride, 0);
  const out = new Float32Array(bins * frames);
  let col = 0;
  for (const p of parts) {
    for (let b = 0; b < bins; b++) out.set(p.mag.subarray(b * p.stride, (b + 1) * p.stride), b * frames + col);
    col += p.stride;
  }
  return out;
}

function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let err = 0;
  let energy = 0;
  for (let i = 0; i < want.length; i++) {
    err += (want[i]! - got[i]!) ** 2;
    energy += want[i]! ** 2;
  }
  expect(energy).toBeGreaterThan(0);
  return Math.sqrt(err / energy);
}

/** The audio as served: the vocoder streamed over `plan`'s windows, phase rebuilt, inverse STFT per window. */
async function served(models: Models, features: Float32Array, frames: number, plan: { a: number; b: number; through: number }[]): Promise<Float32Array> {
  const opts = { nFft: models.manifest.nFft, hop: models.manifest.hopSize };
  const istft = new Istft(opts);
  const stream = new VocoderStream(models, features, frames);
  const phase = new PhaseFromMagnitude(opts);
  const audio: number[] = [];
  for (const { a, b, through } of plan) {
    phase.push(await stream.through(through));
    const { first, last } = istft.framesFor(a, b, frames);
    audio.push(...istft.synthesize(phase.spectra(first, last, frames), a, b, frames));
  }
  return Float32Array.from(audio);
}

describe('models in workerd', () => {
  it('streams the vocoder window by window with the same magnitudes as one whole call, each frame vocoded once', async () => {
    const models = await loadModels(bundle!);
    const { ids, durations, features, frames } = await acousticRun(models, 'The quick brown fox jumps over the lazy dog, twice, and then it sleeps.');
    expect(durations.length).toBe(ids.length);
    expect(durations.reduce((s, d) => s + d, 0)).toBe(frames);
    expect(frames).toBeGreaterThan(120); // past the largest window
    const bins = models.manifest.nFft / 2 + 1;
    const whole = await new VocoderStream(models, features, frames).through(frames - 1);
    expect(whole.stride).toBe(frames);
    const istft = new Istft({ nFft: models.manifest.nFft, hop: models.manifest.hopSize });
    const stream = new VocoderStream(models, features, frames);
    const parts: AudioMagnitudes[] = [];
    let fed = 0;
    const run = models.vocoder.run.bind(models.vocoder);
    models.vocoder.run = ((feeds: Parameters<typeof run>[0]) => {
      fed += (feeds as Record<string, { dims: readonly number[] }>).features!.dims[2]!;
      return run(feeds);
    }) as typeof run;
    try {
      for (const w of windows(frames, istft)) parts.push(await stream.through(w.through));
    } finally {
      models.vocoder.run = run;
    }
    expect(parts.map((p) => p.firstFrame)).toEqual([0, ...parts.slice(0, -1).map((p) => p.firstFrame + p.stride)]);
    // Frames vocoded: the run's own plus one look-ahead flush.
    expect(fed).toBe(frames + models.manifest.vocoder.lookaheadFrames);
    // The int8 activation scales are fixed at export, every other op works per frame or over carried state, and the
    // convolutions are written so that each frame is summed in the same order whatever the call's length
    // (distill/models.py _conv_valid): any split gives the same bits. A state or mask bug gives errors near 1.
    expect(relativeError(concat(parts, bins), whole.mag)).toBe(0);
  });

  it.each([
    'The quick brown fox jumps over the lazy dog, twice, and then it sleeps.',
    'Hello there.',
    'At seven fifteen the train left the station, slowly, carrying forty-two passengers north.',
  ])('with the phase rebuilt from the magnitudes (as served), streams the same audio as one whole pass: %s', async (text) => {
    const models = await loadModels(bundle!);
    const { features, frames } = await acousticRun(models, text);
    const istft = new Istft({ nFft: models.manifest.nFft, hop: models.manifest.hopSize });
    const whole = await served(models, features, frames, [{ a: 0, b: frames, through: frames - 1 }]);
    const streamed = await served(models, features, frames, windows(frames, istft));
    expect(Math.max(...whole.map(Math.abs))).toBeGreaterThan(0.01); // not silence
    // Each frame's phase integrates over every frame before it, so a difference would grow along the utterance; with
    // the vocoder's magnitudes bit-exact (above), so is the audio.
    const error = relativeError(streamed, whole);
    console.log(`phase-rebuilt streamed vs whole: ${(20 * Math.log10(Math.max(error, 1e-12))).toFixed(1)} dB over ${frames} frames`);
    expect(error).toBeLessThan(10 ** (-35 / 20));
  });
});
