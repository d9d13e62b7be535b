/**
 * One instance of the libopus wasm (from `@evan/opus`, a WASI reactor) shared by every encoder and decoder of the
 * isolate. Each encoder/decoder mallocs its own state; calls are synchronous and the isolate has one thread, so the
 * PCM and packet scratch buffers are shared too.
 */
import { onePerModule, readCString } from '../wasm-reactor';
import { OpusError } from './errors';

/** The functions the wasm exports (pointers and sizes are i32). */
interface OpusExports {
  readonly memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(bytes: number): number;
  free(ptr: number): void;
  opus_strerror(code: number): number;
  opus_encoder_get_size(channels: number): number;
  opus_encoder_init(st: number, rate: number, channels: number, application: number): number;
  opus_encode(st: number, pcm: number, frameSize: number, data: number, maxBytes: number): number;
  opus_encoder_ctl_set(st: number, request: number, value: number): number;
  opus_encoder_ctl_get(st: number, request: number): number;
  opus_decoder_get_size(channels: number): number;
  opus_decoder_init(st: number, rate: number, channels: number): number;
  opus_decode(st: number, data: number, len: number, pcm: number, frameSize: number, decodeFec: number): number;
  opus_decoder_ctl_set(st: number, request: number, value: number): number;
  opus_decoder_ctl_get(st: number, request: number): number;
}

/** Largest packet libopus writes for one frame (RFC 6716: 1275 bytes), rounded up. */
export const MAX_PACKET_BYTES = 1280;
/** Largest frame in samples per channel: 120 ms at 48 kHz. */
export const MAX_FRAME_SAMPLES = 5760;

export class OpusRuntime {
  readonly fns: OpusExports;
  /** Scratch for int16 PCM in/out (MAX_FRAME_SAMPLES mono samples). */
  readonly pcmPtr: number;
  /** Scratch for one packet in/out. */
  readonly packetPtr: number;
  private u8: Uint8Array;

  constructor(module: WebAssembly.Module) {
    const noop = (): number => 0;
    const instance = new WebAssembly.Instance(module, {
      // libopus never does I/O; these exist only because the C runtime links them.
      wasi_snapshot_preview1: { proc_exit: noop, fd_close: noop, fd_write: noop, fd_seek: noop },
      // malloc grew the memory: the old ArrayBuffer is detached, so views must be remade.
      env: { emscripten_notify_memory_growth: () => this.refresh() },
    });
    this.fns = instance.exports as unknown as OpusExports;
    this.u8 = new Uint8Array(this.fns.memory.buffer);
    this.fns._initialize();
    this.pcmPtr = this.malloc(MAX_FRAME_SAMPLES * 2);
    this.packetPtr = this.malloc(MAX_PACKET_BYTES);
  }

  /** Bytes of the wasm memory, valid until the next malloc. */
  get heap(): Uint8Array {
    if (this.u8.byteLength === 0) this.refresh(); // detached by a growth we were not told about
    return this.u8;
  }

  /** Memory for `n` int16 samples at the PCM scratch. */
  pcm(n: number): Int16Array {
    const heap = this.heap;
    return new Int16Array(heap.buffer, this.pcmPtr, n);
  }

  malloc(bytes: number): number {
    const ptr = this.fns.malloc(bytes);
    if (ptr === 0) throw new OpusError(`opus: out of wasm memory allocating ${bytes} bytes`);
    return ptr;
  }

  free(ptr: number): void {
    this.fns.free(ptr);
  }

  /** Returns `code` when it is not an error; otherwise throws an OpusError with libopus's message. */
  check(code: number, what: string): number {
    if (code >= 0) return code;
    throw new OpusError(`${what}: ${this.cString(this.fns.opus_strerror(code))}`, code);
  }

  /** Bytes currently held by the wasm memory (for memory accounting). */
  get memoryBytes(): number {
    return this.fns.memory.buffer.byteLength;
  }

  private refresh(): void {
    this.u8 = new Uint8Array(this.fns.memory.buffer);
  }

  private cString(ptr: number): string {
    return readCString(this.heap, ptr);
  }
}

/** The isolate's instance of the wasm `module`, created on first use and cached. */
export const opusRuntime = onePerModule((module) => new OpusRuntime(module));
