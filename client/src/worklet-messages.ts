/** Messages between AudioPlayer (main thread) and the playback AudioWorkletProcessor. */
import type { PlaybackQueueStats } from './queue';

export const PROCESSOR_NAME = 'tts-playback';

/** `stream` numbers each playback, so stats and samples of a stopped one are told apart from the next. */
export type ToWorklet =
  | { type: 'reset'; stream: number; preRollMs: number }
  | { type: 'push'; stream: number; samples: Float32Array }
  | { type: 'end'; stream: number }
  | { type: 'stop'; stream: number };

export interface WorkletStats extends PlaybackQueueStats {
  type: 'stats';
  stream: number;
  /** The context frame at the end of the quantum this was posted after. */
  contextFrame: number;
  /** Context frame (AudioContext timeline) of the first real sample, or null. */
  firstSoundContextFrame: number | null;
}
