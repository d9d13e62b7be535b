/**
 * The libopus wasm for the Worker: wrangler's default CompiledWasm rule turns this import into a precompiled
 * WebAssembly.Module (workerd forbids compiling wasm from bytes at run time). Import this file, not the barrel,
 * where the runtime is needed: Node cannot import `.wasm`.
 */
import opusWasm from '@evan/opus/wasm/opus.wasm';
import { opusRuntime, type OpusRuntime } from './runtime';

let instantiated = false;

/** The isolate's libopus instance, instantiated on first use. */
export function workerOpusRuntime(): OpusRuntime {
  instantiated = true;
  return opusRuntime(opusWasm);
}

/** libopus's wasm linear memory in this isolate (0 until an Opus request needed it; asking does not instantiate). */
export function workerOpusMemoryBytes(): number {
  return instantiated ? workerOpusRuntime().memoryBytes : 0;
}

export { opusWasm };
