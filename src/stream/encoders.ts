/**
 * Model-rate audio in, a request's binary chunk payloads out, in the format the client asked for. Each chunk says how
 * much real audio it carries, so the session can time words and resume points without knowing the format.
 */
import { StreamResampler } from '../audio';
import { OPUS_FRAME_MS, OPUS_INPUT_RATE } from '../audio/opus/constants';
import { packOpusPackets } from '../audio/opus/frames';
import { StreamFramer } from './framer';

export interface EncodedChunk {
  payload: Uint8Array;
  /** Real audio in the chunk (Opus padding excluded). */
  ms: number;
}

export interface ChunkEncoder {
  push(samples: Float32Array): EncodedChunk[];
  /** The rest of the request's audio; the encoder is done after this. */
  flush(): EncodedChunk[];
  /** Releases what the encoder holds outside the JS heap. Safe to call twice. */
  free(): void;
}

/** PCM16 chunks of chunkMs at the client's rate. */
export class PcmChunkEncoder implements ChunkEncoder {
  private readonly framer: StreamFramer;

  constructor(modelRate: number, private readonly outRate: number, chunkMs: number) {
    this.framer = new StreamFramer(modelRate, outRate, chunkMs);
  }

  push(samples: Float32Array): EncodedChunk[] {
    return this.framer.push(samples).map((pcm) => this.chunk(pcm));
  }

  flush(): EncodedChunk[] {
    return this.framer.flush().map((pcm) => this.chunk(pcm));
  }

  free(): void {}

  private chunk(payload: Uint8Array): EncodedChunk {
    return { payload, ms: (payload.length / 2 / this.outRate) * 1000 };
  }
}

/** What OpusChunkEncoder needs from libopus (src/audio/opus): 20 ms packets from 24 kHz float samples. */
export interface OpusPacketEncoder {
  readonly preSkip: number;
  readonly bitrate: number;
  /** 24 kHz samples pushed so far (flush's padding excluded). */
  readonly samplesIn: number;
  push(samples: Float32Array): Uint8Array[];
  flush(): Uint8Array[];
  free(): void;
}

/**
 * Opus packets grouped into chunks of ceil(chunkMs / 20) packets. Like the PCM framer, the first chunk leaves with
 * whatever the first audio gave (at least one packet, at most a chunk), so time to first audio stays as with PCM and
 * the client's first chunk holds the whole first window rather than 20 ms of it.
 */
export class OpusChunkEncoder implements ChunkEncoder {
  private readonly resampler: StreamResampler;
  private readonly packetsPerChunk: number;
  private pending: Uint8Array[] = [];
  private sentAny = false;
  private msOut = 0;
  private packetsOut = 0;
  private freed = false;

  constructor(
    private readonly encoder: OpusPacketEncoder,
    modelRate: number,
    chunkMs: number,
  ) {
    this.resampler = new StreamResampler(modelRate, OPUS_INPUT_RATE);
    this.packetsPerChunk = Math.max(1, Math.ceil(chunkMs / OPUS_FRAME_MS));
  }

  push(samples: Float32Array): EncodedChunk[] {
    this.pending.push(...this.encoder.push(this.resampler.push(samples)));
    return this.take(false);
  }

  flush(): EncodedChunk[] {
    this.pending.push(...this.encoder.flush());
    return this.take(true);
  }

  free(): void {
    if (!this.freed) this.encoder.free();
    this.freed = true;
  }

  private take(final: boolean): EncodedChunk[] {
    const out: EncodedChunk[] = [];
    for (;;) {
      const want = this.sentAny ? this.packetsPerChunk : 1;
      if (this.pending.length === 0 || (this.pending.length < want && !final)) return out;
      const packets = this.pending.splice(0, this.packetsPerChunk);
      this.sentAny = true;
      this.packetsOut += packets.length;
      // The last packet is padded with silence: count only audio that went in.
      const msNow = Math.min(this.packetsOut * OPUS_FRAME_MS, (this.encoder.samplesIn / OPUS_INPUT_RATE) * 1000);
      out.push({ payload: packOpusPackets(packets), ms: msNow - this.msOut });
      this.msOut = msNow;
    }
  }
}
