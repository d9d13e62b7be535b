/**
 * Text chunks in, audio pieces out: acoustic model per chunk, then the vocoder over windows of frames, inverse STFT
 * per window. The first window of a request is short so the first audio leaves early; later windows are larger.
 */
import type { AudioSpectra, Istft } from '../audio';
import type { ProtocolWord } from '../protocol';
import type { TextChunk } from '../text';

/** What the stream needs from the model runtime (injected so this module stays pure). */
export interface StreamSynthesizer {
  sampleRate: number;
  hop: number;
  istft: Istft;
  acoustic(ids: readonly number[], voice: Float32Array, lengthScale: number): Promise<{ durations: Int32Array; features: Float32Array; frames: number }>;
  vocode(features: Float32Array, frames: number, first: number, last: number): Promise<AudioSpectra>;
}

/** Phoneme ids of a chunk and, per word index, its half-open range of ids. */
export interface StreamPhonemized {
  ids: number[];
  wordIds: { word: number; start: number; end: number }[];
}

export interface StreamOptions {
  voice: Float32Array;
  /** 0.5–2.0; the acoustic model gets length_scale = 1/speed. */
  speed: number;
  phonemize: (chunk: TextChunk) => StreamPhonemized;
  /** Frames in the first vocoder window of the request (~80 ms at 22050/256). @default 7 */
  firstWindowFrames?: number;
  /** Largest vocoder window (~0.5 s; larger windows amortise the vocoder's context frames). @default 43 */
  windowFrames?: number;
  /** The word as the user wrote it, from its span in the original text. @default the chunk's normalised word */
  wordText?: (start: number, end: number) => string | undefined;
  /** Checked between windows; when true the generator stops. */
  isCancelled?: () => boolean;
}

/** One piece of audio at the model's rate and the words that end within the audio produced so far. */
export interface StreamPiece {
  samples: Float32Array;
  words: ProtocolWord[];
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
  const window = opts.windowFrames ?? 43;
  const msPerSample = 1000 / synth.sampleRate;
  let emittedSamples = 0; // whole request, at the model rate
  // Windows double from the first (small, for time to first audio) up to the full size, so each window's compute
  // stays shorter than the audio already sent and playback never waits on a big window right after a small one.
  let size = firstWindow;
  for await (const chunk of chunks) {
    if (opts.isCancelled?.()) return;
    const { ids, wordIds } = opts.phonemize(chunk);
    if (ids.length === 0) continue;
    const { durations, features, frames } = await synth.acoustic(ids, opts.voice, 1 / opts.speed);
    if (frames === 0) continue;
    // Word spans in samples, relative to the chunk start.
    const prefix = new Int32Array(durations.length + 1);
    for (let i = 0; i < durations.length; i++) prefix[i + 1] = prefix[i]! + durations[i]!;
    const chunkStart = emittedSamples;
    const pending = wordIds
      .filter((w) => chunk.words[w.word] !== undefined && w.end > w.start)
      .map((w) => ({
        text: wordTextOf(chunk.words[w.word]!, opts),
        start: prefix[w.start]! * synth.hop,
        end: prefix[Math.min(w.end, durations.length)]! * synth.hop,
      }));
    let a = 0;
    while (a < frames) {
      if (opts.isCancelled?.()) return;
      const b = Math.min(frames, a + size);
      const { first, last } = synth.istft.framesFor(a, b, frames);
      const spectra = await synth.vocode(features, frames, first, last);
      const samples = synth.istft.synthesize(spectra, a, b, frames);
      const produced = b * synth.hop;
      const words: ProtocolWord[] = [];
      while (pending.length > 0 && pending[0]!.end <= produced) {
        const w = pending.shift()!;
        words.push({
          text: w.text,
          startMs: Math.round((chunkStart + w.start) * msPerSample),
          endMs: Math.round((chunkStart + w.end) * msPerSample),
        });
      }
      emittedSamples += samples.length;
      size = Math.min(window, size * 2);
      a = b;
      yield { samples, words };
      await yieldToEventLoop();
    }
  }
}
