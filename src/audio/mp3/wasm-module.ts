/**
 * LAME's wasm for the Worker: wrangler's default CompiledWasm rule turns this import into a precompiled
 * WebAssembly.Module (workerd forbids compiling wasm from bytes at run time). Import this file, not the barrel,
 * where the runtime is needed: Node cannot import `.wasm`.
 */
// By path: the package's exports map misspells this file ("./wasm.mp3.wasm"), so the bare specifier does not resolve.
import lameWasm from '../../../node_modules/wasm-media-encoders/wasm/mp3.wasm';
import { lameRuntime, type LameRuntime } from './runtime';

/** The isolate's LAME instance, instantiated on first use. */
export function workerLameRuntime(): LameRuntime {
  return lameRuntime(lameWasm);
}
