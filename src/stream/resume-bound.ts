/**
 * Bounds `resumeFrom` by what the request can produce. A resumed request synthesises its skipped chunks again without
 * sending them, so `resumeFrom: 1e15` would make the isolate synthesise the whole text to nowhere. Before `start`,
 * the acoustic model alone (no vocoder, nothing charged) runs over the text's runs until the audio is long enough to
 * reach chunk `resumeFrom`; when the text ends first, the request is refused. For a legitimate resume this covers only
 * the part that is skipped anyway. Pure (synthesizer injected).
 */
import type { TextChunk } from '../text';
import { boundedRuns, runIdCap, type StreamPhonemized } from './runs';
import { StreamRequestError } from './errors';
import type { StreamSynthesizer } from './synthesize';

export interface ResumeBoundOptions {
  voice: Float32Array;
  speed: number;
  chunkMs: number;
  phonemize: (chunk: TextChunk) => StreamPhonemized;
  maxRunIds?: number;
}

/**
 * Most chunks `audioMs` of audio can make: every chunk but the first and the last holds at least `chunkMs` (Opus chunks
 * hold whole 20 ms packets, so more), the first may be short, the flush adds one.
 */
export function maxChunksFor(audioMs: number, chunkMs: number): number {
  return Math.ceil(audioMs / chunkMs) + 2;
}

/** Throws `bad_request` when `resumeFrom` lies past the last chunk the text can produce. */
export async function checkResumeFrom(synth: Pick<StreamSynthesizer, 'acoustic' | 'hop' | 'sampleRate'>, chunks: readonly TextChunk[], resumeFrom: number, opts: ResumeBoundOptions): Promise<void> {
  const msPerFrame = (synth.hop / synth.sampleRate) * 1000;
  let audioMs = 0;
  for (const chunk of chunks) {
    for (const run of boundedRuns(chunk, opts.phonemize, opts.maxRunIds ?? runIdCap(opts.speed))) {
      if (run.phonemes.ids.length === 0) continue;
      audioMs += (await synth.acoustic(run.phonemes.ids, opts.voice, 1 / opts.speed)).frames * msPerFrame;
      if (maxChunksFor(audioMs, opts.chunkMs) >= resumeFrom) return;
      await new Promise((resolve) => setTimeout(resolve, 0)); // other sockets run between model calls
    }
  }
  throw new StreamRequestError('bad_request', `resumeFrom ${resumeFrom} is past the end of this request (at most ${maxChunksFor(audioMs, opts.chunkMs)} chunks)`);
}
