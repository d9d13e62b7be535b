/**
 * speakAndPlay: one request through TtsClient into AudioPlayer, with the live figures the demo page shows.
 */
import type { SpeakHandle, SpeakOptions, TtsClient } from './client';
import type { AudioPlayer, Playback } from './player';
import { TtsError, type TtsDoneMessage, type TtsFormat } from './wire';

/** Live figures of one spoken request; the object is updated in place. */
export interface SpeakAndPlayStats {
  /** `done` only after the server's `done` and once the audio has played out (also after `stop()`). */
  state: 'connecting' | 'playing' | 'done' | 'error';
  format: TtsFormat;
  /** From the speakAndPlay call to the first real sample at the speaker, ms. */
  firstSoundMs: number | null;
  /** Decoded audio handed to the player, ms. */
  audioMs: number;
  /** Real audio played, silence fill excluded, ms. */
  playedMs: number;
  underruns: number;
  underrunMs: number;
  /** Binary bytes received, framing included. */
  bytes: number;
  /** bytes × 8 / audioMs: what the format costs per second of audio. */
  bitrateKbps: number | null;
  reconnects: number;
  chunks: number;
  /** 'pcm16', 'webcodecs' or 'wasm'. */
  decoder: string | null;
  serverDone: TtsDoneMessage | null;
  error: { code: string; message: string } | null;
  /** True when stop() ended it. */
  stopped: boolean;
}

export interface SpeakAndPlayOptions extends SpeakOptions {
  /** Rate to open the AudioContext at before `start` says (pcm16: the voice's rate). @default 48000 for Opus, 22050 */
  expectedSampleRate?: number;
  /** Called whenever a figure changes. */
  onStats?(stats: SpeakAndPlayStats): void;
}

export interface SpeakAndPlay {
  readonly stats: SpeakAndPlayStats;
  readonly handle: SpeakHandle;
  /** Resolves with the final figures once played out, stopped, or failed (state `error`); never rejects. */
  readonly finished: Promise<SpeakAndPlayStats>;
  stop(): void;
}

/** Speaks `options.text` and plays it as it arrives. Call it from a user gesture (see AudioPlayer.unlock). */
export function speakAndPlay(client: TtsClient, player: AudioPlayer, options: SpeakAndPlayOptions): SpeakAndPlay {
  const t0 = performance.now();
  const format = options.format ?? 'pcm16';
  const stats: SpeakAndPlayStats = {
    state: 'connecting', format, firstSoundMs: null, audioMs: 0, playedMs: 0, underruns: 0, underrunMs: 0, bytes: 0,
    bitrateKbps: null, reconnects: 0, chunks: 0, decoder: null, serverDone: null, error: null, stopped: false,
  };
  const changed = () => options.onStats?.(stats);
  // Inside the gesture: the context must exist before the first await.
  const unlocked = player.unlock(options.expectedSampleRate ?? (format === 'opus' ? 48000 : options.sampleRate ?? 22050));
  let playback: Promise<Playback> | null = null;

  const handle = client.speak({
    ...options,
    onStart(info) {
      playback = unlocked.then(() => player.begin(info.sampleRate));
      void playback.then((p) => {
        p.onUpdate = (s) => {
          stats.playedMs = s.playedMs;
          stats.underruns = s.underruns;
          stats.underrunMs = s.underrunMs;
          if (stats.firstSoundMs === null && s.firstSoundAt !== null) stats.firstSoundMs = Math.max(0, s.firstSoundAt - t0);
          changed();
        };
      });
      options.onStart?.(info);
    },
    onAudio(samples, sampleRate) {
      // Each push waits on the same promise, so pushes keep their order while the worklet loads.
      void playback?.then((p) => p.push(samples));
      stats.state = stats.state === 'connecting' ? 'playing' : stats.state;
      stats.audioMs = (handle.stats.samples / sampleRate) * 1000;
      stats.decoder = handle.stats.decoder;
      stats.bitrateKbps = stats.audioMs > 0 ? (stats.bytes * 8) / stats.audioMs : null;
      options.onAudio?.(samples, sampleRate);
      changed();
    },
    onChunk(seq, bytes) {
      stats.bytes += bytes;
      stats.chunks = handle.stats.chunks;
      stats.reconnects = handle.stats.reconnects;
      options.onChunk?.(seq, bytes);
      changed();
    },
    onReconnect(attempt, resumeFrom) {
      options.onReconnect?.(attempt, resumeFrom);
    },
  });

  const finished = handle.finished.then(
    async (r) => {
      stats.serverDone = r.stats.serverDone;
      stats.reconnects = r.stats.reconnects;
      changed();
      const p = await playback;
      p?.end();
      await p?.drained;
      stats.state = 'done';
      changed();
      return stats;
    },
    (e: unknown) => {
      const err = e instanceof TtsError ? e : new TtsError('internal', String(e));
      stats.error = { code: err.code, message: err.message };
      stats.reconnects = handle.stats.reconnects;
      stats.state = 'error';
      // What already arrived still plays.
      void playback?.then((p) => p.end());
      changed();
      return stats;
    },
  );

  return {
    stats,
    handle,
    finished,
    stop() {
      stats.stopped = true;
      handle.cancel();
      void playback?.then((p) => p.stop());
    },
  };
}
