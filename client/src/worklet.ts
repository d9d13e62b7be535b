/**
 * The playback AudioWorkletProcessor (built as `tts-worklet.js`, loaded with `audioWorklet.addModule`): a
 * PlaybackQueue fed by postMessage, one render quantum per `process` call, stats posted back on every change of
 * state and every ~100 ms while playing.
 */
import { PlaybackQueue } from './queue';
import { PROCESSOR_NAME, type ToWorklet, type WorkletStats } from './worklet-messages';

// AudioWorkletGlobalScope: not in TypeScript's DOM lib.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const REPORT_EVERY_FRAMES = Math.round(sampleRate / 10);

class PlaybackProcessor extends AudioWorkletProcessor {
  private queue: PlaybackQueue | null = null;
  private stream = -1;
  private lastReportFrame = 0;
  private lastKey = -1;

  constructor() {
    super();
    this.port.onmessage = (ev: MessageEvent<ToWorklet>) => this.onMessage(ev.data);
  }

  private onMessage(m: ToWorklet): void {
    if (m.type === 'reset') {
      this.stream = m.stream;
      this.queue = new PlaybackQueue({ sampleRate, preRollMs: m.preRollMs });
      this.lastReportFrame = 0;
      this.lastKey = -1;
      return;
    }
    if (m.stream !== this.stream || !this.queue) return;
    if (m.type === 'push') this.queue.push(m.samples);
    else if (m.type === 'end') this.queue.end();
    else {
      this.report();
      this.queue = null;
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0] ?? [];
    const first = channels[0];
    if (!this.queue || !first) {
      for (const ch of channels) ch.fill(0);
      return true;
    }
    this.queue.pull(first);
    for (let i = 1; i < channels.length; i++) channels[i]!.set(first);
    // Post when something a listener waits for changed (state, first sound, an underrun), and periodically.
    const key = this.queue.changeKey;
    if (key !== this.lastKey || this.queue.frameCount - this.lastReportFrame >= REPORT_EVERY_FRAMES) {
      this.lastKey = key;
      this.report();
    }
    return true;
  }

  private report(): void {
    if (!this.queue) return;
    const s = this.queue.stats();
    this.lastReportFrame = s.frame;
    const msg: WorkletStats = { type: 'stats', stream: this.stream, ...s };
    this.port.postMessage(msg);
  }
}

registerProcessor(PROCESSOR_NAME, PlaybackProcessor);
