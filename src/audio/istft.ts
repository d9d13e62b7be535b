/**
 * Inverse STFT matching torch.istft(center=True, window=hann(nFft, periodic), hop, length=frames*hop), computed for any
 * range of whole hops so audio can be produced piece by piece as vocoder windows arrive.
 *
 * Frame k is irfft(spectrum_k) * window, centred at sample k*hop (it covers k*hop - nFft/2 ... k*hop + nFft/2 - 1);
 * overlapping frames are summed and each sample is divided by the sum of window² of the frames that cover it.
 */
import { RealInverseFft } from './fft';

/** A block of consecutive spectrum frames in the vocoder's layout: `re[bin * stride + (frame - firstFrame)]`. */
export interface AudioSpectra {
  re: Float32Array;
  im: Float32Array;
  /** Number of frames held (the row stride). */
  stride: number;
  /** Utterance frame index of column 0. */
  firstFrame: number;
}

export interface AudioIstftOptions {
  nFft: number;
  hop: number;
}

export class Istft {
  readonly nFft: number;
  readonly hop: number;
  private readonly irfft: RealInverseFft;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;

  constructor({ nFft, hop }: AudioIstftOptions) {
    this.nFft = nFft;
    this.hop = hop;
    this.irfft = new RealInverseFft(nFft);
    this.window = new Float64Array(nFft);
    for (let i = 0; i < nFft; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft);
    this.frame = new Float64Array(nFft);
  }

  /** Frames needed to produce hops [a, b): the first and last (inclusive), clipped to 0..totalFrames-1. */
  framesFor(a: number, b: number, totalFrames: number): { first: number; last: number } {
    const reach = Math.ceil(this.nFft / 2 / this.hop); // frames each side that overlap a hop
    return { first: Math.max(0, a - reach), last: Math.min(totalFrames - 1, b - 1 + reach) };
  }

  /**
   * Samples [a*hop, b*hop) of an utterance with `totalFrames` frames. `spectra` must hold at least
   * `framesFor(a, b, totalFrames)`.
   */
  synthesize(spectra: AudioSpectra, a: number, b: number, totalFrames: number): Float32Array {
    const { nFft, hop } = this;
    const start = a * hop;
    const len = (b - a) * hop;
    const acc = new Float64Array(len);
    const env = new Float64Array(len);
    const { first, last } = this.framesFor(a, b, totalFrames);
    const bins = nFft / 2 + 1;
    if (spectra.firstFrame > first || spectra.firstFrame + spectra.stride - 1 < last) {
      throw new Error(`istft: spectra hold frames ${spectra.firstFrame}..${spectra.firstFrame + spectra.stride - 1}, need ${first}..${last}`);
    }
    if (spectra.re.length < bins * spectra.stride) throw new Error('istft: spectra too short for their stride');
    const half = nFft / 2;
    for (let k = first; k <= last; k++) {
      const col = k - spectra.firstFrame;
      this.irfft.inverse(spectra.re, spectra.im, col, spectra.stride, this.frame);
      const frameStart = k * hop - half; // sample index of frame[0]
      const from = Math.max(0, start - frameStart);
      const to = Math.min(nFft, start + len - frameStart);
      for (let t = from; t < to; t++) {
        const w = this.window[t]!;
        const idx = frameStart + t - start;
        acc[idx] = acc[idx]! + this.frame[t]! * w;
        env[idx] = env[idx]! + w * w;
      }
    }
    const out = new Float32Array(len);
    for (let i = 0; i < len; i++) out[i] = env[i]! > 1e-11 ? acc[i]! / env[i]! : 0;
    return out;
  }
}
