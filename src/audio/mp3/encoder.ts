/** Streaming MP3 encoder (LAME, constant bitrate, mono): float samples in, MP3 frames out as LAME completes them. */
import { Mp3Error, type LameRuntime } from './runtime';

/** Sample rates LAME encodes natively (MPEG-1/2/2.5 layer III). */
export const MP3_SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
/** Constant bitrates (kbit/s) LAME accepts. */
const MP3_BITRATES = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;
/** Speech at 22.05 kHz mono: 64 kbit/s is transparent enough for TTS and a fifth of PCM16's bytes. */
export const MP3_DEFAULT_KBPS = 64;

export interface Mp3EncoderOptions {
  sampleRate: number;
  /** Constant bitrate in kbit/s. @default MP3_DEFAULT_KBPS */
  kbps?: number;
}

/** Largest block handed to LAME at once (its PCM buffer is allocated per call size). */
const MAX_BLOCK = 8192;

export class Mp3StreamEncoder {
  private ref: number;

  constructor(
    private readonly runtime: LameRuntime,
    opts: Mp3EncoderOptions,
  ) {
    const kbps = opts.kbps ?? MP3_DEFAULT_KBPS;
    if (!(MP3_SAMPLE_RATES as readonly number[]).includes(opts.sampleRate)) throw new Mp3Error(`mp3: unsupported sample rate ${opts.sampleRate}`);
    if (!(MP3_BITRATES as readonly number[]).includes(kbps)) throw new Mp3Error(`mp3: unsupported bitrate ${kbps} kbit/s`);
    // enc_init's parameter block: [channels, sampleRate] then [cbr kbps, vbr quality (-1: CBR), output rate (0: same)].
    const params = new Int32Array([1, opts.sampleRate, kbps, 0, 0]);
    new Float32Array(params.buffer, 12, 1)[0] = -1;
    const ptr = runtime.malloc(params.byteLength);
    try {
      runtime.int32(ptr, params.length).set(params);
      this.ref = runtime.fns.enc_init(ptr);
    } finally {
      runtime.fns.free(ptr);
    }
    if (!this.ref) throw new Mp3Error('mp3: encoder initialisation failed');
  }

  /** Bytes of the frames these samples completed (often empty: LAME holds ~1 frame of look-ahead). */
  push(samples: Float32Array): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let off = 0; off < samples.length; off += MAX_BLOCK) {
      const block = samples.subarray(off, Math.min(samples.length, off + MAX_BLOCK));
      const fns = this.live().fns;
      const channels = fns.enc_get_pcm(this.ref, block.length);
      if (!channels) throw new Mp3Error('mp3: PCM buffer allocation failed');
      this.runtime.float32(this.runtime.int32(channels, 1)[0]!, block.length).set(block);
      parts.push(this.out(fns.enc_encode(this.ref, block.length)));
    }
    return concat(parts);
  }

  /** The last frames (LAME's buffered samples, padded to a whole frame). Frees the encoder. */
  finish(): Uint8Array {
    const bytes = this.out(this.live().fns.enc_flush(this.ref));
    this.free();
    return bytes;
  }

  /** Frees LAME's state (also after an error mid-stream). Safe to call twice. */
  free(): void {
    if (this.ref) this.runtime.fns.enc_free(this.ref);
    this.ref = 0;
  }

  private live(): LameRuntime {
    if (!this.ref) throw new Mp3Error('mp3: encoder already freed');
    return this.runtime;
  }

  private out(n: number): Uint8Array {
    if (n < 0) throw new Mp3Error(`mp3: encoding failed (${n})`);
    // Copied: the output buffer is reused by the next call.
    return n === 0 ? new Uint8Array(0) : this.runtime.bytes(this.runtime.fns.enc_get_out_buf(this.ref), n).slice();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((off, p) => (out.set(p, off), off + p.length), 0);
  return out;
}
