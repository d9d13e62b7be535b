/**
 * The body of a speech response per format: float audio at the model's rate in, the format's bytes out as they are
 * made. WAV and FLAC are told the request's total samples before the first audio (see src/stream/plan.ts) and write
 * exactly that many, so WAV's RIFF/data sizes, FLAC's STREAMINFO and WAV's `Content-Length` are true from the first
 * byte. pcm has no header: it is sized (with a `Content-Length`) only when the caller planned it anyway.
 */
import { ExactPcm, resampledCount } from '../audio/exact-pcm';
import { floatToPcm16, StreamResampler, wavHeader } from '../audio/pcm';
import { FlacStreamEncoder } from '../audio/flac';
import { Mp3StreamEncoder } from '../audio/mp3';
import { workerLameRuntime } from '../audio/mp3/wasm-module';
import { OggOpusStream } from '../audio/opus';
import { workerOpusRuntime } from '../audio/opus/wasm-module';
import type { SpeechFormat } from './openai-request';

export interface SpeechSink {
  readonly contentType: string;
  /** Exact body length, when known before the first byte. */
  readonly contentLength: number | undefined;
  start(): Uint8Array[];
  push(samples: Float32Array): Uint8Array[];
  end(): Uint8Array[];
  /** Frees encoder state (also after an error mid-stream). Safe to call twice. */
  free(): void;
}

export interface SinkOptions {
  modelRate: number;
  /** Output rate (ignored by opus, which is always 48 kHz decode / 24 kHz coded). */
  sampleRate: number;
  bitrate: number | undefined;
  /** Samples the request will make at the model rate: required by the sized formats. */
  totalSamples: number | undefined;
}

/** Formats whose header needs the total sample count before the first audio. */
export const HEADER_SIZED_FORMATS: readonly SpeechFormat[] = ['wav', 'flac'];

const le16 = (x: Int16Array): Uint8Array => {
  const out = new Uint8Array(x.length * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < x.length; i++) v.setInt16(2 * i, x[i]!, true);
  return out;
};
const nonEmpty = (b: Uint8Array): Uint8Array[] => (b.length > 0 ? [b] : []);

function sizedTotal(o: SinkOptions): number {
  if (o.totalSamples === undefined) throw new Error('sized format without a planned length');
  return resampledCount(o.totalSamples, o.modelRate, o.sampleRate);
}

/** Raw pcm of a length not planned: resampled and sent as it comes, no Content-Length. */
function streamingPcmSink(o: SinkOptions): SpeechSink {
  const resampler = new StreamResampler(o.modelRate, o.sampleRate);
  return {
    contentType: `audio/L16; rate=${o.sampleRate}; channels=1`,
    contentLength: undefined,
    start: () => [],
    push: (samples) => nonEmpty(floatToPcm16(resampler.push(samples))),
    end: () => [],
    free: () => undefined,
  };
}

function pcmSink(o: SinkOptions, wav: boolean): SpeechSink {
  if (!wav && o.totalSamples === undefined) return streamingPcmSink(o);
  const total = sizedTotal(o);
  const pcm = new ExactPcm(o.modelRate, o.sampleRate, total);
  return {
    contentType: wav ? 'audio/wav' : `audio/L16; rate=${o.sampleRate}; channels=1`,
    contentLength: total * 2 + (wav ? 44 : 0),
    start: () => (wav ? [wavHeader(o.sampleRate, total * 2)] : []),
    push: (samples) => nonEmpty(le16(pcm.push(samples))),
    end: () => nonEmpty(le16(pcm.end())),
    free: () => undefined,
  };
}

function flacSink(o: SinkOptions): SpeechSink {
  const total = sizedTotal(o);
  const pcm = new ExactPcm(o.modelRate, o.sampleRate, total);
  const flac = new FlacStreamEncoder({ sampleRate: o.sampleRate, totalSamples: total });
  return {
    contentType: 'audio/flac',
    contentLength: undefined,
    start: () => [flac.header()],
    push: (samples) => nonEmpty(flac.push(pcm.push(samples))),
    end: () => [flac.push(pcm.end()), flac.finish()].filter((b) => b.length > 0),
    free: () => undefined,
  };
}

function mp3Sink(o: SinkOptions): SpeechSink {
  const resampler = new StreamResampler(o.modelRate, o.sampleRate);
  const mp3 = new Mp3StreamEncoder(workerLameRuntime(), { sampleRate: o.sampleRate });
  return {
    contentType: 'audio/mpeg',
    contentLength: undefined,
    start: () => [],
    push: (samples) => nonEmpty(mp3.push(resampler.push(samples))),
    end: () => nonEmpty(mp3.finish()),
    free: () => mp3.free(),
  };
}

/** Ogg Opus, one page per piece of synthesised audio so the body streams. */
function opusSink(o: SinkOptions): SpeechSink {
  const ogg = new OggOpusStream(workerOpusRuntime(), o.bitrate === undefined ? { sourceRate: o.modelRate } : { sourceRate: o.modelRate, bitrate: o.bitrate });
  return {
    contentType: 'audio/ogg; codecs=opus',
    contentLength: undefined,
    start: () => [ogg.headers()],
    push: (samples) => nonEmpty(ogg.push(samples)),
    end: () => [ogg.finish()],
    free: () => ogg.free(),
  };
}

export function createSink(format: SpeechFormat, o: SinkOptions): SpeechSink {
  switch (format) {
    case 'wav':
      return pcmSink(o, true);
    case 'pcm':
      return pcmSink(o, false);
    case 'flac':
      return flacSink(o);
    case 'mp3':
      return mp3Sink(o);
    case 'opus':
      return opusSink(o);
  }
}
