import { describe, expect, it } from 'vitest';
import { bundle } from '../vendor/models';
import { Istft } from '../src/audio';
import { loadModels, synthesizeIds, vocodeFrames } from '../src/model';
import { phonemizeChunk } from '../src/phonemes';
import { planChunks } from '../src/text';
import { decodeEmbedding, parseVoiceMeta } from '../src/voices';

// The real int8 models in workerd: windowed (streaming) vocoding must give the same audio as one whole run.
describe('models in workerd', () => {
  it('streams the same audio as whole-utterance synthesis', async () => {
    const models = await loadModels(bundle!);
    const { manifest } = models;
    const v = bundle!.voices[0]!;
    const voice = decodeEmbedding(v.embedding, manifest.voiceDim, parseVoiceMeta(v.meta).id);
    const chunk = planChunks('The quick brown fox jumps over the lazy dog, twice.')[0]!;
    const { ids } = phonemizeChunk(chunk);
    const { durations, features, frames } = await synthesizeIds(models, ids, voice, 1);
    expect(durations.length).toBe(ids.length);
    expect(durations.reduce((s, d) => s + d, 0)).toBe(frames);
    expect(frames).toBeGreaterThan(20);

    const istft = new Istft({ nFft: manifest.nFft, hop: manifest.hopSize });
    const whole = istft.synthesize(await vocodeFrames(models, features, frames, 0, frames - 1), 0, frames, frames);
    const streamed: number[] = [];
    let size = 7;
    for (let a = 0; a < frames; ) {
      const b = Math.min(frames, a + size);
      const { first, last } = istft.framesFor(a, b, frames);
      streamed.push(...istft.synthesize(await vocodeFrames(models, features, frames, first, last), a, b, frames));
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
    // The vocoder's activation scales are calibrated at export (static int8), so a frame's spectrum depends only on the
    // frames in its receptive field. Not bit-exact: ORT's kernels round differently for different window lengths and a
    // rare int8 rounding flip turns that into a small error (about -42 dB measured on a dev-length sentence). Bound it
    // at -34 dB so a context or iSTFT bug (errors ~1) cannot pass.
    expect(Math.sqrt(err / energy)).toBeLessThan(0.02);
  });
});
