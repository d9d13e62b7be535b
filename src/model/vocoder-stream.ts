/**
 * The vocoder over one acoustic run's frames, fed a few frames at a time with its convolution state carried from
 * call to call, so every frame is computed once (frames vocoded = frames output + one look-ahead flush per run).
 *
 * The graph's contract (distill/models.py `StreamingVocoder`): a call takes the frames at absolute positions
 * offset .. offset+m-1, the state the previous call returned (zeros first) and a `keep` mask, and returns the
 * magnitudes of positions offset-L .. offset+m-1-L, L being `lookaheadFrames`. `keep[i][j]` says whether layer i's
 * output j (position offset - (i+1)·L/layers + j) lies inside the run: outside it the graph zeroes it, exactly as
 * zero padding does when the whole run is vocoded at once, and L zero frames after the last real one flush the tail.
 * The output is the same for any split into calls.
 */
import type { AudioMagnitudes } from '../audio';
import { keepMask } from './keep-mask';
import { ort, tensorData, type OrtSession } from './ort';
import type { ModelManifest } from './types';

/** What a stream needs of the loaded models. */
export interface VocoderModel {
  manifest: ModelManifest;
  vocoder: OrtSession;
}

export class VocoderStream {
  private readonly models: VocoderModel;
  private readonly features: Float32Array;
  private readonly frames: number;
  private state: Float32Array;
  /** Positions fed so far, flush frames included. */
  private fed = 0;
  /** First frame not yet returned. */
  private next = 0;

  /** `features` are the run's `[featureDim, frames]`, row-major. */
  constructor(models: VocoderModel, features: Float32Array, frames: number) {
    this.models = models;
    this.features = features;
    this.frames = frames;
    this.state = new Float32Array(models.manifest.vocoder.stateShape.reduce((a, b) => a * b, 1));
  }

  /** Frames returned so far: the next call starts at this frame. */
  get done(): number {
    return this.next;
  }

  /** Magnitudes of the frames after those already returned, through frame `last` (clipped to the run). */
  async through(last: number): Promise<AudioMagnitudes> {
    const { featureDim: c, nFft, vocoder } = this.models.manifest;
    const lookahead = vocoder.lookaheadFrames;
    const upTo = Math.min(last, this.frames - 1);
    const bins = nFft / 2 + 1;
    if (upTo < this.next) return { mag: new Float32Array(0), stride: 0, firstFrame: this.next };
    const offset = this.fed;
    const m = upTo + 1 + lookahead - offset;
    const input = new Float32Array(c * m); // positions past the run stay zero: the flush
    const real = Math.max(0, Math.min(m, this.frames - offset));
    for (let ch = 0; ch < c; ch++) input.set(this.features.subarray(ch * this.frames + offset, ch * this.frames + offset + real), ch * m);
    const out = await this.models.vocoder.run({
      features: new ort.Tensor('float32', input, [1, c, m]),
      state: new ort.Tensor('float32', this.state, [...vocoder.stateShape]),
      keep: new ort.Tensor('float32', keepMask(vocoder.layers, lookahead, offset, m, this.frames), [vocoder.layers, m]),
    });
    const magnitude = tensorData<Float32Array>(out, 'magnitude');
    if (magnitude.dims[1] !== bins || magnitude.dims[2] !== m) throw new Error(`vocoder output dims ${magnitude.dims.join('x')}, want 1x${bins}x${m}`);
    this.state = tensorData<Float32Array>(out, 'state_out').data;
    this.fed += m;
    // Output column j is position offset - lookahead + j; keep this.next .. upTo.
    const skip = this.next - (offset - lookahead);
    const keep = upTo - this.next + 1;
    const all = magnitude.data;
    const mag = new Float32Array(bins * keep);
    for (let b = 0; b < bins; b++) mag.set(all.subarray(b * m + skip, b * m + skip + keep), b * keep);
    const firstFrame = this.next;
    this.next = upTo + 1;
    return { mag, stride: keep, firstFrame };
  }
}
