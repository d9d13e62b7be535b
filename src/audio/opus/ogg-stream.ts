/**
 * Audio at the model's rate in, Ogg Opus bytes out as they are made: resampling to 24 kHz, encoding and paging
 * in one object, for the HTTP `response_format: "opus"` body.
 */
import { StreamResampler } from '../pcm';
import { OPUS_FRAME_SAMPLES, OPUS_INPUT_RATE } from './constants';
import { OpusStreamEncoder } from './encoder';
import { OggOpusWriter } from './ogg';
import type { OpusRuntime } from './runtime';

/** OpusTags vendor string: the wrapper package pins the libopus build (it exports no version string). */
export const OPUS_VENDOR = 'edge-tts libopus (@evan/opus 1.0.3)';

export interface OggOpusStreamOptions {
  /** Rate of the samples given to `push`. */
  sourceRate: number;
  /** Bits per second. @default OPUS_BITRATES.default */
  bitrate?: number;
  /** Ogg serial number. @default random */
  serial?: number;
}

export class OggOpusStream {
  private readonly resampler: StreamResampler;
  private readonly encoder: OpusStreamEncoder;
  private readonly writer: OggOpusWriter;

  constructor(runtime: OpusRuntime, opts: OggOpusStreamOptions) {
    this.resampler = new StreamResampler(opts.sourceRate, OPUS_INPUT_RATE);
    this.encoder = new OpusStreamEncoder(runtime, opts.bitrate === undefined ? {} : { bitrate: opts.bitrate });
    this.writer = new OggOpusWriter({
      serial: opts.serial ?? crypto.getRandomValues(new Uint32Array(1))[0]!,
      preSkip: this.encoder.preSkip,
      inputRate: OPUS_INPUT_RATE,
      vendor: OPUS_VENDOR,
    });
  }

  /** The OpusHead and OpusTags pages: the start of the body. */
  headers(): Uint8Array {
    return this.writer.headers();
  }

  /** Bytes for the packets these samples completed (empty while less than a packet is ready). */
  push(samples: Float32Array): Uint8Array {
    const packets = this.encoder.push(this.resampler.push(samples));
    return packets.length > 0 ? this.writer.pages(packets) : new Uint8Array(0);
  }

  /** The last page(s): padding, end-of-stream and the trimmed end granule. Frees the encoder. */
  finish(): Uint8Array {
    const samples = this.encoder.samplesIn;
    // Ogg Opus needs at least one packet; an empty input becomes one frame of silence trimmed to nothing.
    const packets = samples === 0 ? this.encoder.push(new Float32Array(OPUS_FRAME_SAMPLES)) : [];
    packets.push(...this.encoder.flush());
    const bytes = this.writer.pages(packets, { final: true, samples });
    this.free();
    return bytes;
  }

  /** Frees the encoder's libopus state (also after an error mid-stream). Safe to call twice. */
  free(): void {
    this.encoder.free();
  }
}
