/**
 * Text chunks in, audio pieces out: acoustic model per run (a chunk, cut so no run exceeds MAX_RUN_IDS ids), then the
 * vocoder streamed over windows of frames (each frame vocoded once), phase and inverse STFT per window. The first
 * window of a request is short so the first audio leaves early; later windows are larger. Budget and pacing act per
 * window through the synthesizer's `meter`.
 */
import { PhaseFromMagnitude, type AudioMagnitudes, type Istft } from '../audio';
import type { TextChunk } from '../text';
import { boundedRuns, runIdCap, type StreamPhonemized } from './runs';
import type { SpokenWord } from './written-words';

export type { StreamPhonemized } from './runs';

/**
 * Limits applied while a request synthesises (src/http/limits.ts): the audio of each acoustic run is reserved before
 * its first audio leaves, pacing is checked before every vocoder window, and what was reserved but never made is
 * given back when the request stops early.
 */
export interface StreamMeter {
  /** The run about to be vocoded makes exactly `seconds` of audio; rejects (e.g. `rate_limited`) to refuse it. */
  reserve(seconds: number): Promise<void>;
  /** Before each vocoder window: waits while the consumer is too far ahead of real time; throws to stop. */
  beforeWindow(): Promise<void>;
  /** After each window: `seconds` of audio made. */
  produced(seconds: number): void;
  /** The request stopped with `seconds` reserved but never made. */
  release(seconds: number): void;
}

/** What the stream needs from the model runtime (injected so this module stays pure). */
export interface StreamSynthesizer {
  sampleRate: number;
  hop: number;
  istft: Istft;
  acoustic(ids: readonly number[], voice: Float32Array, lengthScale: number): Promise<{ durations: Int32Array; features: Float32Array; frames: number }>;
  /** The vocoder over one run's `[featureDim, frames]` features, streamed. */
  vocoder(features: Float32Array, frames: number): VocoderRun;
  /** Budget and pacing (absent: unlimited). */
  meter?: StreamMeter;
  /** The request will run the models no more (the isolate's scheduler stops waiting for it). */
  close?(): void;
}

/** One run's vocoder stream: each call returns the magnitudes of the frames after the last call's, through `last`. */
export interface VocoderRun {
  through(last: number): Promise<AudioMagnitudes>;
}

export interface StreamOptions {
  voice: Float32Array;
  /** 0.5–2.0; the acoustic model gets length_scale = 1/speed. */
  speed: number;
  phonemize: (chunk: TextChunk) => StreamPhonemized;
  /** Frames in the first vocoder window of the request (~80 ms at 22050/256). @default 7 */
  firstWindowFrames?: number;
  /**
   * Largest vocoder window (~1 s of audio): the most one model call does before other streams get a turn. The
   * vocoder carries its state across windows, so window sizes change how the work is cut, not how much there is.
   * @default 86
   */
  windowFrames?: number;
  /** The word as the user wrote it, from its span in the original text. @default the chunk's normalised word */
  wordText?: (start: number, end: number) => string | undefined;
  /** Checked between windows; when true the generator stops. */
  isCancelled?: () => boolean;
  /** Most phoneme ids per acoustic run. @default runIdCap(speed) */
  maxRunIds?: number;
}

/** One piece of audio at the model's rate and the spoken words that end within the audio produced so far. */
export interface StreamPiece {
  samples: Float32Array;
  words: SpokenWord[];
}

function wordTextOf(word: TextChunk['words'][number], opts: StreamOptions): string {
  const original = opts.wordText?.(word.start, word.end)?.trim();
  return original ? original : word.text;
}

/** Lets other sockets in the isolate run between windows (the WASM work itself is synchronous). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export async function* synthesizeStream(
  synth: StreamSynthesizer,
  chunks: AsyncIterable<TextChunk>,
  opts: StreamOptions,
): AsyncGenerator<StreamPiece> {
  const firstWindow = opts.firstWindowFrames ?? 7;
  const window = opts.windowFrames ?? 86;
  const msPerSample = 1000 / synth.sampleRate;
  const secondsPerFrame = synth.hop / synth.sampleRate;
  const meter = synth.meter;
  let emittedSamples = 0; // whole request, at the model rate
  let unused = 0; // seconds reserved for the current run and not made yet
  // Windows double from the first (small, for time to first audio) up to the full size, so each window's compute
  // stays shorter than the audio already sent and playback never waits on a big window right after a small one.
  let size = firstWindow;
  try {
    for await (const chunk of chunks) {
      for (const run of boundedRuns(chunk, opts.phonemize, opts.maxRunIds ?? runIdCap(opts.speed))) {
        if (opts.isCancelled?.()) return;
        const { ids, wordIds } = run.phonemes;
        if (ids.length === 0) continue;
        const { durations, features, frames } = await synth.acoustic(ids, opts.voice, 1 / opts.speed);
        if (frames === 0) continue;
        // The durations give this run's exact audio: reserve it while the first window is vocoded, and wait for the
        // answer before that window leaves (no audio without budget, no latency added when the limiter is quick).
        let reservation: Promise<void> | undefined;
        if (meter) {
          unused = frames * secondsPerFrame;
          reservation = meter.reserve(unused);
          reservation.catch(() => undefined);
        }
        // Word spans in samples, relative to the run's start.
        const prefix = new Int32Array(durations.length + 1);
        for (let i = 0; i < durations.length; i++) prefix[i + 1] = prefix[i]! + durations[i]!;
        const runStart = emittedSamples;
        const pending = wordIds
          .filter((w) => run.chunk.words[w.word] !== undefined && w.end > w.start)
          .map((w) => ({
            text: wordTextOf(run.chunk.words[w.word]!, opts),
            source: { start: run.chunk.words[w.word]!.start, end: run.chunk.words[w.word]!.end },
            start: prefix[w.start]! * synth.hop,
            end: prefix[Math.min(w.end, durations.length)]! * synth.hop,
          }));
        // The vocoder makes magnitudes; their phase is rebuilt frame by frame in order (src/audio/phase.ts).
        const vocoder = synth.vocoder(features, frames);
        const phase = new PhaseFromMagnitude({ nFft: synth.istft.nFft, hop: synth.hop });
        let a = 0;
        while (a < frames) {
          if (opts.isCancelled?.()) return;
          await meter?.beforeWindow();
          const b = Math.min(frames, a + size);
          const { first, last } = synth.istft.framesFor(a, b, frames);
          // One frame more than the inverse STFT needs: the phase of the window's last frame looks one frame ahead.
          phase.push(await vocoder.through(Math.min(frames - 1, last + 1)));
          const samples = synth.istft.synthesize(phase.spectra(first, last, frames), a, b, frames);
          if (reservation) {
            const answer = reservation;
            reservation = undefined;
            try {
              await answer;
            } catch (err) {
              unused = 0; // refused: nothing was reserved
              throw err;
            }
          }
          const produced = b * synth.hop;
          const words: SpokenWord[] = [];
          while (pending.length > 0 && pending[0]!.end <= produced) {
            const w = pending.shift()!;
            words.push({
              text: w.text,
              source: w.source,
              startMs: Math.round((runStart + w.start) * msPerSample),
              endMs: Math.round((runStart + w.end) * msPerSample),
            });
          }
          emittedSamples += samples.length;
          if (meter) {
            const seconds = (b - a) * secondsPerFrame;
            unused = Math.max(0, unused - seconds);
            meter.produced(seconds);
          }
          size = Math.min(window, size * 2);
          a = b;
          yield { samples, words };
          await yieldToEventLoop();
        }
        unused = 0;
      }
    }
  } finally {
    synth.close?.();
    // Stopped early (cancel, a closed socket, a refused reservation, an error): give back what was never made.
    if (meter && unused > 0) meter.release(unused);
  }
}
