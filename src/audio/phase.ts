/**
 * Phase for the vocoder's spectra, rebuilt from their magnitudes by phase-gradient heap integration (PGHI,
 * Průša et al.; the real-time variant with one frame of look-ahead).
 *
 * Why: the vocoder regresses a phase per frame, and neighbouring frames disagree: the overlap-add then leaves a
 * comb at the frame rate and smears harmonics (waveform autocorrelation at 3 hops ~0.5; Praat harmonicity ~3 dB
 * where the teacher has ~9). For a Gaussian-like window the phase's gradient follows from the log-magnitude's:
 * along time it is the bin's frequency corrected by the log-magnitude's slope across bins, along frequency it is
 * the log-magnitude's slope across time. Integrating those from the loudest coefficients outwards gives frames that
 * agree with each other, so harmonics run continuously from frame to frame. On the teacher's own magnitudes the
 * result is as intelligible and as harmonic as the teacher.
 *
 * Streaming: magnitudes are pushed in order as the vocoder makes them, and frames are committed in order, each once.
 * Frame k needs the magnitude of frame k+1 (the look-ahead), the committed phase of frame k-1 and its own magnitude;
 * so the same frames in any window schedule give the same audio, and a resumed request (which synthesises from the
 * start) is byte-exact.
 */
import type { AudioSpectra } from './istft';
import { DEFAULT_SHARPEN, sharpenLogMagnitude, type SharpenOptions } from './sharpen';

/** Consecutive magnitude frames in the vocoder's layout: `mag[bin * stride + (frame - firstFrame)]`. */
export interface AudioMagnitudes {
  mag: Float32Array;
  /** Number of frames held (the row stride). */
  stride: number;
  /** Utterance frame index of column 0. */
  firstFrame: number;
}

export interface PhaseOptions {
  nFft: number;
  hop: number;
  /** Magnitudes below this are noise floor: they get a fixed pseudo-random phase instead of an integrated one. */
  floor?: number;
  /** Harmonic sharpening of each frame before its phase is built (sharpen.ts). @default DEFAULT_SHARPEN */
  sharpen?: SharpenOptions;
}

/** λ of the Gaussian that best matches a Hann window of length L is 0.25645·L² (Průša, "PGHI" paper, table 1). */
const HANN_GAMMA = 0.25645;
/** Frames kept after commitment: a window's inverse STFT reaches 2 frames back into the previous window. */
const KEEP = 8;

/** Builds each frame's phase from magnitudes, frame by frame, for one utterance (one acoustic run). */
export class PhaseFromMagnitude {
  private readonly bins: number;
  private readonly gamma: number;
  private readonly hop: number;
  private readonly nFft: number;
  private readonly floor: number;
  private readonly sharpen: SharpenOptions;
  private readonly sharpenScratch: Float64Array;
  /** Committed frames: spectra in ring slots, frame index per slot. */
  private readonly ringRe: Float32Array[];
  private readonly ringIm: Float32Array[];
  private readonly ringFrame: Int32Array;
  private committed = -1;
  /** Log-magnitudes pushed and not yet committed, from frame `committed + 1` on. */
  private readonly pending: Float64Array[] = [];
  /** Arrays of committed frames, reused by later pushes (push runs for every frame: no garbage per frame). */
  private readonly spare: Float64Array[] = [];
  private pushed = 0;
  // State of the last committed frame.
  private readonly prevLogMag: Float64Array;
  private readonly prevPhase: Float64Array;
  private readonly prevTimeGrad: Float64Array;
  private readonly prevOk: Uint8Array;
  // Scratch.
  private readonly timeGrad: Float64Array;
  private readonly freqGrad: Float64Array;
  private readonly phase: Float64Array;
  private readonly done: Uint8Array;
  private readonly ok: Uint8Array;
  private readonly heap: MaxHeap;
  private readonly onsets: MaxHeap;

  constructor({ nFft, hop, floor = 0.05, sharpen = DEFAULT_SHARPEN }: PhaseOptions) {
    this.bins = nFft / 2 + 1;
    this.sharpen = sharpen;
    this.sharpenScratch = new Float64Array(this.bins + sharpen.width + 1);
    this.nFft = nFft;
    this.hop = hop;
    this.gamma = HANN_GAMMA * nFft * nFft;
    this.floor = floor;
    const f64 = (): Float64Array => new Float64Array(this.bins);
    this.ringRe = Array.from({ length: KEEP }, () => new Float32Array(this.bins));
    this.ringIm = Array.from({ length: KEEP }, () => new Float32Array(this.bins));
    this.ringFrame = new Int32Array(KEEP).fill(-1);
    this.prevLogMag = f64();
    this.prevPhase = f64();
    this.prevTimeGrad = f64();
    this.prevOk = new Uint8Array(this.bins);
    this.timeGrad = f64();
    this.freqGrad = f64();
    this.phase = f64();
    this.done = new Uint8Array(this.bins);
    this.ok = new Uint8Array(this.bins);
    this.heap = new MaxHeap(2 * this.bins + 2);
    this.onsets = new MaxHeap(this.bins);
  }

  /** The next magnitude frames of the utterance, in order (each frame once). */
  push(m: AudioMagnitudes): void {
    if (m.firstFrame !== this.pushed) throw new Error(`phase: frames pushed out of order (got ${m.firstFrame}, want ${this.pushed})`);
    for (let col = 0; col < m.stride; col++) {
      const log = this.spare.pop() ?? new Float64Array(this.bins);
      for (let b = 0; b < this.bins; b++) {
        const x = m.mag[b * m.stride + col]!;
        log[b] = 0.5 * Math.log(x * x + 1e-24);
      }
      sharpenLogMagnitude(log, this.sharpenScratch, this.sharpen);
      this.pending.push(log);
    }
    this.pushed += m.stride;
  }

  /**
   * Spectra for frames `first .. upTo` with the phase rebuilt, committing frames up to `upTo`. Every frame committed
   * needs the next frame pushed, unless it is `totalFrames - 1` (the utterance's last, which has no look-ahead); of the
   * frames committed before this call, the last 8 stay available.
   */
  spectra(first: number, upTo: number, totalFrames: number): AudioSpectra {
    const { bins } = this;
    const keep = upTo - first + 1;
    const re = new Float32Array(bins * keep);
    const im = new Float32Array(bins * keep);
    if (first > this.committed + 1) throw new Error(`phase: frame ${this.committed + 1} was skipped (asked from ${first})`);
    for (let k = first; k <= upTo; k++) {
      if (k > this.committed) this.commit(k, totalFrames);
      const slot = k % KEEP;
      if (this.ringFrame[slot] !== k) throw new Error(`phase: frame ${k} is no longer held`);
      const col = k - first;
      const r = this.ringRe[slot]!;
      const i = this.ringIm[slot]!;
      for (let b = 0; b < bins; b++) {
        re[b * keep + col] = r[b]!;
        im[b * keep + col] = i[b]!;
      }
    }
    return { re, im, stride: keep, firstFrame: first };
  }

  private commit(k: number, totalFrames: number): void {
    const { bins, timeGrad, freqGrad, phase, done, ok, heap, onsets } = this;
    const hasNext = k + 1 < totalFrames;
    const logMag = this.pending[0];
    const nextLogMag = hasNext ? this.pending[1] : logMag;
    if (!logMag || !nextLogMag) throw new Error(`phase: frame ${logMag ? k + 1 : k} has not been pushed`);
    const hasPrev = k > 0;
    const timeScale = (this.hop * this.nFft) / this.gamma;
    const freqScale = -this.gamma / (this.hop * this.nFft);
    const logFloor = Math.log(this.floor);
    for (let b = 0; b < bins; b++) {
      // d(phase)/d(time) · hop: the bin's own frequency, corrected by the log-magnitude slope across bins.
      const slope = b > 0 && b < bins - 1 ? (logMag[b + 1]! - logMag[b - 1]!) / 2 : 0;
      timeGrad[b] = timeScale * slope + (2 * Math.PI * this.hop * b) / this.nFft;
      // d(phase)/d(bin): from the log-magnitude slope across time (central difference where both sides exist).
      const after = hasNext ? nextLogMag[b]! : logMag[b]!;
      const before = hasPrev ? this.prevLogMag[b]! : logMag[b]!;
      freqGrad[b] = (freqScale * (after - before)) / (hasNext && hasPrev ? 2 : 1);
      ok[b] = logMag[b]! > logFloor ? 1 : 0;
      done[b] = 0;
    }
    heap.clear();
    // Seeds: bins loud in this frame and the last carry their phase on in time, loudest first.
    if (hasPrev && this.committed === k - 1) {
      for (let b = 0; b < bins; b++) if (ok[b] && this.prevOk[b]) heap.push(this.prevLogMag[b]!, b + bins);
    }
    let onsetsReady = false;
    for (;;) {
      if (heap.size === 0) {
        // A region with no loud neighbour in the last frame (an onset): start it at its loudest bin.
        if (!onsetsReady) {
          onsets.clear();
          for (let b = 0; b < bins; b++) if (ok[b] && !done[b]) onsets.push(logMag[b]!, b);
          onsetsReady = true;
        }
        let best = -1;
        while (onsets.size > 0 && best < 0) {
          const b = onsets.pop();
          if (!done[b]) best = b;
        }
        if (best < 0) break;
        phase[best] = 0;
        done[best] = 1;
        heap.push(logMag[best]!, best);
        continue;
      }
      const item = heap.pop();
      if (item >= bins) {
        const b = item - bins;
        if (done[b]) continue;
        phase[b] = this.prevPhase[b]! + (this.prevTimeGrad[b]! + timeGrad[b]!) / 2;
        done[b] = 1;
        heap.push(logMag[b]!, b);
        continue;
      }
      // Along frequency to both neighbours.
      for (let n = item - 1; n <= item + 1; n += 2) {
        if (n < 0 || n >= bins || !ok[n] || done[n]) continue;
        const step = (freqGrad[item]! + freqGrad[n]!) / 2;
        phase[n] = phase[item]! + (n > item ? step : -step);
        done[n] = 1;
        heap.push(logMag[n]!, n);
      }
    }
    // Quiet bins: a fixed pseudo-random phase (a constant one would put a click at every frame centre).
    for (let b = 0; b < bins; b++) if (!done[b]) phase[b] = noisePhase(k, b);
    const slot = k % KEEP;
    const r = this.ringRe[slot]!;
    const i = this.ringIm[slot]!;
    for (let b = 0; b < bins; b++) {
      const mag = Math.exp(logMag[b]!);
      // The spectra place frame samples from the frame's start, the phase above is about its centre (nFft/2 later).
      const sign = b % 2 === 0 ? 1 : -1;
      r[b] = sign * mag * Math.cos(phase[b]!);
      i[b] = sign * mag * Math.sin(phase[b]!);
    }
    this.ringFrame[slot] = k;
    this.committed = k;
    this.prevLogMag.set(logMag);
    this.prevPhase.set(phase);
    this.prevTimeGrad.set(timeGrad);
    this.prevOk.set(ok);
    this.spare.push(this.pending.shift()!);
  }
}

/** A deterministic phase in [-π, π) per (frame, bin): output must not depend on anything but the input. */
function noisePhase(frame: number, bin: number): number {
  let h = Math.imul(frame + 1, 0x9e3779b1) ^ Math.imul(bin + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 12;
  return ((h >>> 0) / 4294967296) * 2 * Math.PI - Math.PI;
}

/** Max-heap of (key, value) on typed arrays; ties pop in insertion-independent order only by key. */
class MaxHeap {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(key: number, value: number): void {
    let i = this.size++;
    if (i >= this.keys.length) throw new Error('phase: heap overflow');
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! >= key) break;
      this.keys[i] = this.keys[parent]!;
      this.values[i] = this.values[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  /** Removes the entry with the largest key and returns its value. */
  pop(): number {
    const top = this.values[0]!;
    const n = --this.size;
    const key = this.keys[n]!;
    const value = this.values[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.keys[child + 1]! > this.keys[child]!) child++;
      if (this.keys[child]! <= key) break;
      this.keys[i] = this.keys[child]!;
      this.values[i] = this.values[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
    return top;
  }
}
