/** Messages between AudioPlayer (main thread) and the playback AudioWorkletProcessor. */
import type { PlaybackQueueStats } from './queue';

export const PROCESSOR_NAME = 'tts-playback';

/** `stream` numbers each playback, so stats and samples of a stopped one are told apart from the next. */
export type ToWorklet =
  | { type: 'reset'; stream: number; preRollMs: number }
  | { type: 'push'; stream: number; samples: Float32Array }
  | { type: 'end'; stream: number }
  | { type: 'stop'; stream: number };

/**
 * The queue's stats, posted right after the quantum that ends at queue frame `frame`. Positions stay on the queue's
 * clock: Chrome's worklet `currentFrame` can trail the main thread's `currentTime` by a constant ~0.2 s when the
 * context has just started, so only differences between queue frames are carried to the main thread.
 */
export interface WorkletStats extends PlaybackQueueStats {
  type: 'stats';
  stream: number;
}
