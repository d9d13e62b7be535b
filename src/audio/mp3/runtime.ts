/**
 * One instance of LAME's wasm (the `mp3.wasm` of `wasm-media-encoders` 0.7.0, a WASI reactor) per isolate, with the
 * few calls the encoder needs. The package's own JS loader is not used: it compiles wasm from bytes or URLs, which
 * workerd forbids; here the module comes in precompiled (see ./wasm-module).
 */
import { onePerModule, readCString } from '../wasm-reactor';

/** The functions the wasm exports (pointers and sizes are i32). */
interface LameExports {
  readonly memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(bytes: number): number;
  free(ptr: number): void;
  version(): number;
  mime_type(): number;
  enc_init(params: number): number;
  enc_get_pcm(ref: number, samples: number): number;
  enc_encode(ref: number, samples: number): number;
  enc_flush(ref: number): number;
  enc_get_out_buf(ref: number): number;
  enc_free(ref: number): void;
}

/** The wasm build the encoder's parameter layout was written against. */
export const LAME_WASM_VERSION = 'wasm-media-encoders-0.7.0';

export class Mp3Error extends Error {
  override readonly name = 'Mp3Error';
}

export class LameRuntime {
  readonly fns: LameExports;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {
      wasi_snapshot_preview1: {
        proc_exit: (code: number) => {
          throw new Mp3Error(`lame: fatal error exit(${code})`);
        },
      },
      // Views are made fresh from `memory.buffer` on every call, so growth needs no bookkeeping.
      env: { emscripten_notify_memory_growth: () => undefined },
    });
    this.fns = instance.exports as unknown as LameExports;
    this.fns._initialize();
    const version = this.cString(this.fns.version());
    const mime = this.cString(this.fns.mime_type());
    if (version !== LAME_WASM_VERSION || mime !== 'audio/mpeg') throw new Mp3Error(`lame: unexpected wasm ${version} (${mime})`);
  }

  bytes(ptr: number, n: number): Uint8Array {
    return new Uint8Array(this.fns.memory.buffer, ptr, n);
  }

  int32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.fns.memory.buffer, ptr, n);
  }

  float32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.fns.memory.buffer, ptr, n);
  }

  malloc(bytes: number): number {
    const ptr = this.fns.malloc(bytes);
    if (ptr === 0) throw new Mp3Error(`lame: out of wasm memory allocating ${bytes} bytes`);
    return ptr;
  }

  /** Bytes currently held by the wasm memory (for memory accounting). */
  get memoryBytes(): number {
    return this.fns.memory.buffer.byteLength;
  }

  private cString(ptr: number): string {
    return readCString(new Uint8Array(this.fns.memory.buffer), ptr);
  }
}

/** The isolate's instance of the wasm `module`, created on first use and cached. */
export const lameRuntime = onePerModule((module) => new LameRuntime(module));
