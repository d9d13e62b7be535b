/**
 * LAME's wasm for the Worker: wrangler's default CompiledWasm rule turns this import into a precompiled
 * WebAssembly.Module (workerd forbids compiling wasm from bytes at run time). Import this file, not the barrel,
 * where the runtime is needed: Node cannot import `.wasm`.
 */
import lameWasm from 'wasm-media-encoders/wasm/mp3.wasm';
import { lameRuntime, type LameRuntime } from './runtime';

/** The isolate's LAME instance, instantiated on first use. */
export function workerLameRuntime(): LameRuntime {
  return lameRuntime(lameWasm);
}
