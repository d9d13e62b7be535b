/**
 * AudioPlayer: owns the AudioContext and the playback worklet. Each `begin()` starts a Playback (a fresh jitter
 * queue) that takes decoded samples and reports when they reach the speaker, underruns, and when it has played out.
 *
 * The context runs at the stream's rate (48000 for Opus, the PCM rate for pcm16), so samples go in as decoded and
 * the browser's own resampler does the conversion to the device; a stream at another rate recreates the context.
 */
import type { PlaybackState } from './queue';
import { contextTimeToPerformanceMs } from './timing';
import { PROCESSOR_NAME, type ToWorklet, type WorkletStats } from './worklet-messages';

export interface AudioPlayerOptions {
  /** URL of `tts-worklet.js`. @default next to this module */
  workletUrl?: string;
  /** Jitter pre-roll (see PlaybackQueue). @default 100 */
  preRollMs?: number;
}

export interface PlaybackStats {
  state: PlaybackState;
  /** performance.now() time (ms) at which the first real sample reached the speaker, or null. */
  firstSoundAt: number | null;
  /** Real audio played (silence fill excluded), ms. */
  playedMs: number;
  underruns: number;
  /** Silence played inside gaps, ms. */
  underrunMs: number;
  /** Audio pushed, ms. */
  pushedMs: number;
}

export class Playback {
  readonly stats: PlaybackStats = { state: 'idle', firstSoundAt: null, playedMs: 0, underruns: 0, underrunMs: 0, pushedMs: 0 };
  /** Called after each stats update from the audio thread. */
  onUpdate: ((stats: PlaybackStats) => void) | null = null;
  /** Resolves when everything pushed before `end()` has played (or on `stop()`). */
  readonly drained: Promise<void>;
  private resolveDrained!: () => void;
  private stopped = false;

  constructor(
    private readonly context: AudioContext,
    private readonly port: MessagePort,
    readonly stream: number,
  ) {
    this.drained = new Promise((r) => (this.resolveDrained = r));
  }

  /** Queues samples at the context's rate. The array is transferred: the caller must not use it again. */
  push(samples: Float32Array): void {
    if (this.stopped) return;
    // Transfer only a buffer the samples fill; a view into a bigger one (a socket frame) is copied first.
    const own = samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
    this.post({ type: 'push', stream: this.stream, samples: own }, [own.buffer as ArrayBuffer]);
  }

  /** No more audio: what is queued plays out, then `drained` resolves. */
  end(): void {
    if (!this.stopped) this.post({ type: 'end', stream: this.stream });
  }

  /** Silences this playback now. */
  stop(): void {
    if (this.stopped) return;
    this.post({ type: 'stop', stream: this.stream });
    this.stopped = true;
    this.resolveDrained();
  }

  /** @internal */
  onStats(m: WorkletStats): void {
    const ms = (n: number) => (n / this.context.sampleRate) * 1000;
    const s = this.stats;
    s.state = m.state;
    s.playedMs = ms(m.playedSamples);
    s.underruns = m.underruns;
    s.underrunMs = ms(m.underrunSamples);
    s.pushedMs = ms(m.pushedSamples);
    if (s.firstSoundAt === null && m.firstSoundFrame !== null) {
      const c = this.context;
      // The first sound was rendered (frame - firstSoundFrame) frames before the end of the quantum just rendered,
      // which is about currentTime (later by the message's trip, a few ms, which this figure then includes).
      const at = c.currentTime - (m.frame - m.firstSoundFrame) / c.sampleRate;
      const out = typeof c.getOutputTimestamp === 'function' ? c.getOutputTimestamp() : null;
      s.firstSoundAt = contextTimeToPerformanceMs(at, out, {
        nowMs: performance.now(),
        currentTime: c.currentTime,
        latencyS: c.outputLatency || c.baseLatency || 0,
      });
    }
    this.onUpdate?.(s);
    if (m.state === 'drained' && m.ended) this.resolveDrained();
  }

  private post(m: ToWorklet, transfer: Transferable[] = []): void {
    this.port.postMessage(m, transfer);
  }
}

export class AudioPlayer {
  private context: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private ready: Promise<void> | null = null;
  private current: Playback | null = null;
  private streams = 0;
  private readonly workletUrl: string;
  private readonly preRollMs: number;

  constructor(options: AudioPlayerOptions = {}) {
    this.workletUrl = options.workletUrl ?? new URL('./tts-worklet.js', import.meta.url).href;
    this.preRollMs = options.preRollMs ?? 100;
  }

  /** The AudioContext, once `unlock` or `begin` made one. */
  get audioContext(): AudioContext | null {
    return this.context;
  }

  /**
   * Creates (or resumes) the context at `sampleRate`. Call it from a user gesture (a click): browsers only let a page
   * start audio then. The context is created before the first await, so the gesture still counts.
   */
  unlock(sampleRate: number): Promise<void> {
    if (this.context && this.context.sampleRate !== sampleRate) this.closeContext();
    if (!this.context) {
      const ctx = new AudioContext({ sampleRate, latencyHint: 'interactive' });
      this.context = ctx;
      this.ready = ctx.audioWorklet.addModule(this.workletUrl).then(() => {
        const node = new AudioWorkletNode(ctx, PROCESSOR_NAME, { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
        node.port.onmessage = (ev: MessageEvent<WorkletStats>) => {
          if (this.current && ev.data.stream === this.current.stream) this.current.onStats(ev.data);
        };
        node.connect(ctx.destination);
        this.node = node;
      });
    }
    const ctx = this.context;
    return Promise.all([this.ready, ctx.state === 'suspended' ? ctx.resume() : undefined]).then(() => undefined);
  }

  /** Starts a new playback at `sampleRate`, stopping the one before. */
  async begin(sampleRate: number): Promise<Playback> {
    this.current?.stop();
    await this.unlock(sampleRate);
    const ctx = this.context;
    const node = this.node;
    if (!ctx || !node) throw new Error('AudioPlayer: the audio context closed while starting');
    const p = new Playback(ctx, node.port, this.streams++);
    node.port.postMessage({ type: 'reset', stream: p.stream, preRollMs: this.preRollMs } satisfies ToWorklet);
    this.current = p;
    return p;
  }

  /** Stops the current playback. */
  stop(): void {
    this.current?.stop();
    this.current = null;
  }

  /** Releases the audio device. */
  close(): void {
    this.stop();
    this.closeContext();
  }

  private closeContext(): void {
    this.node?.disconnect();
    void this.context?.close();
    this.context = null;
    this.node = null;
    this.ready = null;
  }
}
