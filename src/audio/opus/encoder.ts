/** Streaming Opus encoder: float samples at 24 kHz in, whole 20 ms packets out. */
import { floatToInt16 } from '../pcm';
import { OPUS_BITRATES, OPUS_DECODE_RATE, OPUS_FRAME_SAMPLES, OPUS_INPUT_RATE } from './constants';
import { OpusError } from './errors';
import { MAX_PACKET_BYTES, type OpusRuntime } from './runtime';

// libopus request codes and values (opus_defines.h).
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_VBR = 4006;
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_SIGNAL = 4024;
const OPUS_GET_LOOKAHEAD = 4027;
const OPUS_SIGNAL_VOICE = 3001;

/**
 * Encoder effort, 0–10. On this service's speech 5 costs about half of libopus's default 9 (about 12 vs 21 ms of
 * CPU per second of audio) for a decoded waveform within 0.005 correlation of it; the encoder shares one thread
 * with the TTS model (figures: `npm run bench:opus`).
 */
export const OPUS_COMPLEXITY = 5;

export interface OpusEncoderOptions {
  /** Bits per second, OPUS_BITRATES.min–max. @default 24000 */
  bitrate?: number;
  /** libopus complexity 0–10. @default OPUS_COMPLEXITY */
  complexity?: number;
}

export class OpusStreamEncoder {
  /** Pre-skip in 48 kHz samples: the encoder's look-ahead, for `start.opus.preSkip` and OpusHead. */
  readonly preSkip: number;
  readonly bitrate: number;
  private state: number;
  private readonly pending = new Int16Array(OPUS_FRAME_SAMPLES);
  private filled = 0;
  private pushed = 0;
  private frames = 0; // packets made, padding included

  constructor(
    private readonly runtime: OpusRuntime,
    opts: OpusEncoderOptions = {},
  ) {
    const bitrate = opts.bitrate ?? OPUS_BITRATES.default;
    if (!Number.isInteger(bitrate) || bitrate < OPUS_BITRATES.min || bitrate > OPUS_BITRATES.max) {
      throw new OpusError(`bitrate must be an integer from ${OPUS_BITRATES.min} to ${OPUS_BITRATES.max}, got ${bitrate}`);
    }
    const complexity = opts.complexity ?? OPUS_COMPLEXITY;
    if (!Number.isInteger(complexity) || complexity < 0 || complexity > 10) throw new OpusError(`complexity must be 0–10, got ${complexity}`);
    this.bitrate = bitrate;
    const fns = runtime.fns;
    this.state = runtime.malloc(fns.opus_encoder_get_size(1));
    try {
      runtime.check(fns.opus_encoder_init(this.state, OPUS_INPUT_RATE, 1, OPUS_APPLICATION_VOIP), 'opus_encoder_init');
      this.ctl(OPUS_SET_BITRATE, bitrate);
      this.ctl(OPUS_SET_VBR, 1);
      this.ctl(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE);
      this.ctl(OPUS_SET_COMPLEXITY, complexity);
      // The look-ahead is in input-rate samples; Ogg Opus and the protocol count pre-skip at 48 kHz.
      const lookahead = fns.opus_encoder_ctl_get(this.state, OPUS_GET_LOOKAHEAD);
      this.preSkip = (lookahead * OPUS_DECODE_RATE) / OPUS_INPUT_RATE;
    } catch (err) {
      this.free();
      throw err;
    }
  }

  /** Samples (24 kHz) pushed so far, without flush's padding: the true length, for the end granule. */
  get samplesIn(): number {
    return this.pushed;
  }

  /** Float samples in [-1, 1] at 24 kHz (clipped); returns the whole 20 ms packets completed, keeping the rest. */
  push(samples: Float32Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < samples.length; i++) {
      this.pending[this.filled++] = floatToInt16(samples[i]!);
      if (this.filled === OPUS_FRAME_SAMPLES) out.push(this.encodePending());
    }
    this.pushed += samples.length;
    return out;
  }

  /**
   * Ends the stream: encodes the remainder padded with silence, plus enough silence to push the encoder's look-ahead
   * out, so the decoder outputs every real sample (pre-skip + 2 * samplesIn <= 960 * packets). Nothing when no
   * audio was pushed.
   */
  flush(): Uint8Array[] {
    const out: Uint8Array[] = [];
    const lookahead = (this.preSkip * OPUS_INPUT_RATE) / OPUS_DECODE_RATE;
    while (this.pushed > 0 && this.frames * OPUS_FRAME_SAMPLES < this.pushed + lookahead) {
      this.pending.fill(0, this.filled);
      out.push(this.encodePending());
    }
    return out;
  }

  /** Releases the libopus state; the encoder is unusable afterwards. Safe to call twice. */
  free(): void {
    if (this.state !== 0) this.runtime.free(this.state);
    this.state = 0;
  }

  private encodePending(): Uint8Array {
    const rt = this.runtime;
    if (this.state === 0) throw new OpusError('opus encoder used after free()');
    rt.pcm(OPUS_FRAME_SAMPLES).set(this.pending);
    const n = rt.check(rt.fns.opus_encode(this.state, rt.pcmPtr, OPUS_FRAME_SAMPLES, rt.packetPtr, MAX_PACKET_BYTES), 'opus_encode');
    this.filled = 0;
    this.frames++;
    return rt.heap.slice(rt.packetPtr, rt.packetPtr + n);
  }

  private ctl(request: number, value: number): void {
    this.runtime.check(this.runtime.fns.opus_encoder_ctl_set(this.state, request, value), `opus_encoder_ctl(${request})`);
  }
}
