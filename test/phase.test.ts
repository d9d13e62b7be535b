import { describe, expect, it } from 'vitest';
import { bundle } from '../vendor/models';
import { Istft, PhaseFromMagnitude } from '../src/audio';
import { loadModels, synthesizeIds, vocodeFrames } from '../src/model';
import { phonemizeChunk } from '../src/phonemes';
import { planChunks } from '../src/text';
import { decodeEmbedding, parseVoiceMeta } from '../src/voices';

// The real int8 models in workerd, phase rebuilt from magnitude: the Worker's window schedule must give the same
// audio as one whole pass, although each frame's phase integrates over all the frames before it.
describe('phase from magnitude on the served models', () => {
  it('streams the same audio as whole-utterance synthesis', async () => {
    const models = await loadModels(bundle!);
    const { manifest } = models;
    const v = bundle!.voices[0]!;
    const voice = decodeEmbedding(v.embedding, manifest.voiceDim, parseVoiceMeta(v.meta).id);
    const chunk = planChunks('The quick brown fox jumps over the lazy dog, twice, and then it sleeps.')[0]!;
    const { ids } = phonemizeChunk(chunk);
    const { features, frames } = await synthesizeIds(models, ids, voice, 1);
    const opts = { nFft: manifest.nFft, hop: manifest.hopSize };
    const istft = new Istft(opts);
    const wholePhase = new PhaseFromMagnitude(opts);
    const wholeSpectra = wholePhase.apply(await vocodeFrames(models, features, frames, 0, frames - 1), frames - 1, frames);
    const whole = istft.synthesize(wholeSpectra, 0, frames, frames);
    const phase = new PhaseFromMagnitude(opts);
    const streamed: number[] = [];
    let size = 7;
    for (let a = 0; a < frames; ) {
      const b = Math.min(frames, a + size);
      const { first, last } = istft.framesFor(a, b, frames);
      const spectra = await vocodeFrames(models, features, frames, first, Math.min(frames - 1, last + 1));
      streamed.push(...istft.synthesize(phase.apply(spectra, last, frames), a, b, frames));
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
    expect(peak).toBeGreaterThan(0.01);
    const db = 20 * Math.log10(Math.sqrt(err / energy));
    console.log(`phase-rebuilt streamed vs whole: ${db.toFixed(1)} dB over ${frames} frames`);
    expect(db).toBeLessThan(-35);
  });
});
