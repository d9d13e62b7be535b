/** Opus packets in, float samples at 48 kHz out (mono): for tests and benchmarks that check the encoder. */
import { OPUS_DECODE_RATE } from './constants';
import { OpusError } from './errors';
import { MAX_FRAME_SAMPLES, MAX_PACKET_BYTES, type OpusRuntime } from './runtime';

export class OpusStreamDecoder {
  private state: number;

  constructor(private readonly runtime: OpusRuntime) {
    const fns = runtime.fns;
    this.state = runtime.malloc(fns.opus_decoder_get_size(1));
    try {
      runtime.check(fns.opus_decoder_init(this.state, OPUS_DECODE_RATE, 1), 'opus_decoder_init');
    } catch (err) {
      this.free();
      throw err;
    }
  }

  /** Decodes one packet (in stream order) to float samples in [-1, 1]; throws OpusError on a corrupt packet. */
  decode(packet: Uint8Array): Float32Array {
    const rt = this.runtime;
    if (this.state === 0) throw new OpusError('opus decoder used after free()');
    if (packet.length === 0 || packet.length > MAX_PACKET_BYTES) throw new OpusError(`opus packet of ${packet.length} bytes: must be 1–${MAX_PACKET_BYTES}`);
    rt.heap.set(packet, rt.packetPtr);
    const n = rt.check(rt.fns.opus_decode(this.state, rt.packetPtr, packet.length, rt.pcmPtr, MAX_FRAME_SAMPLES, 0), 'opus_decode');
    const pcm = rt.pcm(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = pcm[i]! / 32768;
    return out;
  }

  /** Releases the libopus state. Safe to call twice. */
  free(): void {
    if (this.state !== 0) this.runtime.free(this.state);
    this.state = 0;
  }
}
