/**
 * Chunk decoders: one per request, created from its `start` message, fed each chunk's payload in order, and
 * delivering float samples in order. Kept across reconnects, so a resumed Opus stream continues with the same state.
 */
import { unpackOpusPackets } from '../../src/audio/opus/frames';
import type { OpusWasmDecoder } from './opus-fallback';
import { PreSkip, decodePcm16 } from './pcm';
import { TtsError, type TtsStartMessage } from './wire';

export interface ChunkDecoder {
  /** Rate of the samples it delivers. */
  readonly sampleRate: number;
  /** 'pcm16', 'webcodecs' (the browser's Opus) or 'wasm' (the fallback), once known. */
  readonly kind: Promise<DecoderKind>;
  /** Queues one chunk's payload; its samples reach the sink after those of earlier chunks. */
  decode(payload: Uint8Array): void;
  /** Resolves once every chunk queued so far has been delivered (rejects with the first decode failure). */
  flush(): Promise<void>;
  close(): void;
}

export type DecoderKind = 'pcm16' | 'webcodecs' | 'wasm';

export interface DecoderOptions {
  /** URL of `opus-fallback.js`, fetched only when WebCodecs cannot decode Opus. */
  opusFallbackUrl: string;
  /** Skip WebCodecs even where it works (to test the fallback). @default false */
  forceWasm?: boolean;
}

/** Called with each piece of decoded audio, in stream order. */
export type SampleSink = (samples: Float32Array) => void;

export function createDecoder(start: TtsStartMessage, sink: SampleSink, options: DecoderOptions): ChunkDecoder {
  if (start.format === 'pcm16') return new Pcm16Decoder(start.sampleRate, sink);
  if (start.format === 'opus') return new OpusChunkDecoder(start, sink, options);
  throw new TtsError('unsupported_format', `the client cannot decode format ${JSON.stringify(start.format)}`, start.id);
}

class Pcm16Decoder implements ChunkDecoder {
  readonly kind = Promise.resolve<DecoderKind>('pcm16');
  constructor(
    readonly sampleRate: number,
    private readonly sink: SampleSink,
  ) {}
  decode(payload: Uint8Array): void {
    this.sink(decodePcm16(payload));
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {}
}

/** A per-packet Opus decoder: WebCodecs' or the WASM one behind one shape. */
interface PacketDecoder {
  decode(packet: Uint8Array): void;
  flush(): Promise<void>;
  close(): void;
}

const OPUS_CONFIG = { codec: 'opus', sampleRate: 48000, numberOfChannels: 1 } as const;

class OpusChunkDecoder implements ChunkDecoder {
  readonly sampleRate = 48000;
  readonly kind: Promise<DecoderKind>;
  private readonly ready: Promise<PacketDecoder>;
  /** Serialises decoding behind the (async) decoder set-up, so order holds while it loads. */
  private chain: Promise<void>;
  private failure: unknown = null;

  constructor(start: TtsStartMessage, sink: SampleSink, options: DecoderOptions) {
    const skip = new PreSkip(start.opus?.preSkip ?? 0);
    const frameUs = (start.opus?.frameMs ?? 20) * 1000;
    const out: SampleSink = (s) => {
      const kept = skip.apply(s);
      if (kept.length > 0) sink(kept);
    };
    const picked = pickOpusDecoder(out, frameUs, options);
    this.ready = picked.then((p) => p.decoder);
    this.kind = picked.then((p) => p.kind);
    this.chain = this.ready.then(() => undefined);
    this.chain.catch((e: unknown) => (this.failure ??= e));
  }

  decode(payload: Uint8Array): void {
    // Unpacked now, so a malformed chunk fails where it arrived; the copy outlives the socket's buffer.
    const packets = unpackOpusPackets(payload.slice());
    this.chain = this.chain.then(async () => {
      const d = await this.ready;
      for (const p of packets) d.decode(p);
    });
    this.chain.catch((e: unknown) => (this.failure ??= e));
  }

  async flush(): Promise<void> {
    await this.chain;
    await (await this.ready).flush();
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.ready.then((d) => d.close()).catch(() => undefined);
  }
}

async function pickOpusDecoder(sink: SampleSink, frameUs: number, options: DecoderOptions): Promise<{ kind: DecoderKind; decoder: PacketDecoder }> {
  if (!options.forceWasm && (await webCodecsOpusSupported())) return { kind: 'webcodecs', decoder: webCodecsDecoder(sink, frameUs) };
  let mod: typeof import('./opus-fallback');
  try {
    mod = (await import(/* @vite-ignore */ options.opusFallbackUrl)) as typeof import('./opus-fallback');
  } catch (e) {
    throw new TtsError('decode_failed', `could not load the Opus fallback from ${options.opusFallbackUrl}: ${String(e)}`);
  }
  return { kind: 'wasm', decoder: wasmDecoder(await mod.createOpusWasmDecoder(), sink) };
}

/** Loads and compiles the WASM decoder ahead of need (when WebCodecs cannot decode Opus); failures wait for use. */
export async function preloadOpusFallback(url: string, forceWasm: boolean): Promise<void> {
  try {
    if (!forceWasm && (await webCodecsOpusSupported())) return;
    const mod = (await import(/* @vite-ignore */ url)) as typeof import('./opus-fallback');
    // opus-decoder caches the compiled module, so this first decoder pays the compile for the real one.
    (await mod.createOpusWasmDecoder()).free();
  } catch {
    // Reported, with its cause, when the decoder is actually created.
  }
}

export async function webCodecsOpusSupported(): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined' || typeof EncodedAudioChunk === 'undefined') return false;
  try {
    return (await AudioDecoder.isConfigSupported(OPUS_CONFIG)).supported === true;
  } catch {
    return false;
  }
}

function webCodecsDecoder(sink: SampleSink, frameUs: number): PacketDecoder {
  let error: unknown = null;
  const decoder = new AudioDecoder({
    output(data) {
      const samples = new Float32Array(data.numberOfFrames);
      data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      data.close();
      sink(samples);
    },
    error(e) {
      error ??= new TtsError('decode_failed', `WebCodecs Opus: ${e.message}`);
    },
  });
  decoder.configure(OPUS_CONFIG);
  let timestamp = 0;
  return {
    decode(packet) {
      if (error) throw error;
      // Every Opus packet decodes on its own state-wise ("key"); timestamps only need to increase.
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, data: packet }));
      timestamp += frameUs;
    },
    async flush() {
      if (decoder.state === 'configured') await decoder.flush();
      if (error) throw error;
    },
    close() {
      if (decoder.state !== 'closed') decoder.close();
    },
  };
}

function wasmDecoder(d: OpusWasmDecoder, sink: SampleSink): PacketDecoder {
  return {
    decode(packet) {
      try {
        sink(d.decode(packet));
      } catch (e) {
        throw new TtsError('decode_failed', `WASM Opus: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    flush: () => Promise.resolve(),
    close: () => d.free(),
  };
}
