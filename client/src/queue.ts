/**
 * PlaybackQueue: the jitter buffer behind the AudioWorklet, as pure logic so it runs (and is tested) in Node.
 *
 * Decoded samples go in with `push`; the audio thread takes one render quantum at a time with `pull`, which never
 * blocks: whatever the queue cannot fill is silence. Playback starts as soon as there is audio, after a small
 * pre-roll (see `preRollMs`); a gap mid-stream is filled with silence and counted as an underrun; after `end()` the
 * queue plays out what it holds and the silence after it is not an underrun.
 *
 * Positions are in frames of the queue's own clock: frame 0 is the first sample of the first `pull`.
 */

export interface PlaybackQueueOptions {
  /** Samples per second of pushed audio and of the output (the AudioContext's rate). */
  sampleRate: number;
  /**
   * Jitter pre-roll: playback (and playback after an underrun) starts once this much audio is queued, or once the
   * first waiting sample has waited this long, whichever comes first. So it delays first sound by at most this much.
   * The server's first chunk holds ~80 ms, so with 100 ms playback usually starts when the second chunk arrives
   * (~20 ms later on loopback): on a cold page that margin absorbs the main-thread stalls of starting the
   * AudioContext, the worklet and a WASM decoder, which with 40 ms caused the odd 5–20 ms underrun right after the
   * start (seen in the browser test). It also keeps a stream that trickles in just under real time from stuttering
   * at quantum (2.7 ms) granularity.
   * @default 100
   */
  preRollMs?: number;
}

/** `idle`: nothing pushed yet. `buffering`: pre-roll before first sound. `underrun`: out of audio mid-stream. */
export type PlaybackState = 'idle' | 'buffering' | 'playing' | 'underrun' | 'drained';

const STATE_INDEX: Record<PlaybackState, number> = { idle: 0, buffering: 1, playing: 2, underrun: 3, drained: 4 };

export interface PlaybackQueueStats {
  state: PlaybackState;
  /** Frames pulled so far (the queue's clock). */
  frame: number;
  /** Frame at which the first real sample was output, or null before. */
  firstSoundFrame: number | null;
  /** Real samples output (silence fill excluded). */
  playedSamples: number;
  /**
   * Gaps mid-stream: each run of silence between two pieces of real audio counts once, when the audio resumes. A
   * gap that `end()` closes is the stream's end (its `done` came after the last audio had played), not an underrun.
   */
  underruns: number;
  /** Silence output during those gaps, in samples. */
  underrunSamples: number;
  /** Silence output so far in the gap now open (state `underrun`), not yet in `underrunSamples`. */
  gapSamples: number;
  /** Samples waiting to be played. */
  queuedSamples: number;
  /** Samples ever pushed. */
  pushedSamples: number;
  ended: boolean;
}

export class PlaybackQueue {
  readonly sampleRate: number;
  private readonly preRoll: number;
  private readonly chunks: Float32Array[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  private state: PlaybackState = 'idle';
  /** Clock frame since which the queue has been waiting to (re)start. */
  private waitingSince = 0;
  private frame = 0;
  private firstSoundFrame: number | null = null;
  private playedSamples = 0;
  private underruns = 0;
  private underrunSamples = 0;
  /** Silence output so far in the current gap (state `underrun`). */
  private gapSamples = 0;
  private queuedSamples = 0;
  private pushedSamples = 0;
  private ended = false;

  constructor(options: PlaybackQueueOptions) {
    if (!(options.sampleRate > 0)) throw new RangeError(`PlaybackQueue: sampleRate must be positive, got ${options.sampleRate}`);
    const preRollMs = options.preRollMs ?? 100;
    if (!(preRollMs >= 0)) throw new RangeError(`PlaybackQueue: preRollMs must be >= 0, got ${preRollMs}`);
    this.sampleRate = options.sampleRate;
    this.preRoll = Math.round((preRollMs / 1000) * options.sampleRate);
  }

  /** Queues decoded mono samples. The queue keeps the array; the caller must not reuse it. */
  push(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    this.queuedSamples += samples.length;
    this.pushedSamples += samples.length;
    if (this.state === 'idle' || this.state === 'drained') {
      this.state = 'buffering';
      this.waitingSince = this.frame;
    }
  }

  /** Marks the stream complete: what is queued still plays, and the silence after it is not an underrun. */
  end(): void {
    this.ended = true;
    if (this.state === 'idle') this.state = 'drained';
  }

  /** Fills `out` (one render quantum) with queued audio and silence. Returns how many real samples it wrote. */
  pull(out: Float32Array): number {
    let pos = 0;
    let real = 0;
    while (pos < out.length) {
      if (this.state === 'playing') {
        const n = this.copyOut(out, pos);
        pos += n;
        real += n;
        if (pos < out.length) {
          // Out of audio before the quantum is full: the stream is over, or this is a gap.
          if (this.ended) this.state = 'drained';
          else {
            this.state = 'underrun';
            this.waitingSince = this.frame + pos;
            this.gapSamples = 0;
          }
        }
        continue;
      }
      // A gap that end() closed is the end of the stream, not an underrun.
      if (this.state === 'underrun' && this.ended && this.queuedSamples === 0) {
        this.state = 'drained';
        this.gapSamples = 0;
      }
      // idle, drained, buffering or underrun: silence until the (re)start point, if it falls in this quantum.
      const startAt = this.state === 'buffering' || this.state === 'underrun' ? this.startOffset(pos) : out.length;
      const silent = Math.min(startAt, out.length) - pos;
      out.fill(0, pos, pos + silent);
      if (this.state === 'underrun') this.gapSamples += silent;
      pos += silent;
      if (pos < out.length) {
        // Real audio again after a gap: only now is the gap known to be an underrun rather than the stream's end.
        if (this.state === 'underrun') {
          this.underruns++;
          this.underrunSamples += this.gapSamples;
          this.gapSamples = 0;
        }
        this.state = 'playing';
      }
    }
    this.frame += out.length;
    this.playedSamples += real;
    return real;
  }

  /** Frames pulled so far; cheap, for the audio thread (stats() allocates). */
  get frameCount(): number {
    return this.frame;
  }

  /** Changes whenever the state, first sound or underrun count changes: tells the worklet when to report. */
  get changeKey(): number {
    // A number, not a string: the audio thread reads it every quantum and should not allocate.
    return STATE_INDEX[this.state] + (this.firstSoundFrame === null ? 0 : 8) + 16 * this.underruns;
  }

  stats(): PlaybackQueueStats {
    return {
      state: this.state,
      frame: this.frame,
      firstSoundFrame: this.firstSoundFrame,
      playedSamples: this.playedSamples,
      underruns: this.underruns,
      underrunSamples: this.underrunSamples,
      gapSamples: this.gapSamples,
      queuedSamples: this.queuedSamples,
      pushedSamples: this.pushedSamples,
      ended: this.ended,
    };
  }

  /** Offset in the current quantum (>= pos) where waiting ends: enough audio, waited long enough, or the end. */
  private startOffset(pos: number): number {
    if (this.queuedSamples === 0) return Infinity;
    if (this.ended || this.queuedSamples >= this.preRoll) return pos;
    return Math.max(pos, this.waitingSince + this.preRoll - this.frame);
  }

  /** Copies queued samples into out[pos..]; returns how many. */
  private copyOut(out: Float32Array, pos: number): number {
    let written = 0;
    while (pos + written < out.length && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length - this.head, out.length - pos - written);
      out.set(chunk.subarray(this.head, this.head + n), pos + written);
      if (this.firstSoundFrame === null) this.firstSoundFrame = this.frame + pos;
      written += n;
      this.head += n;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.queuedSamples -= written;
    return written;
  }
}
