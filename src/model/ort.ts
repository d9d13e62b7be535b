/**
 * onnxruntime-web (WASM, one thread) set up for workerd. The only file that imports ORT or its wasm.
 *
 * workerd quirks handled here:
 * - no compiling WebAssembly from bytes: wrangler precompiles the .wasm (CompiledWasm rule) and we instantiate it
 *   synchronously from Emscripten's `instantiateWasm` hook (passed through by the patched bundle, see
 *   scripts/patch-ort.mjs);
 * - no import.meta.url and no workers: `wasmPaths.wasm` is set (never fetched, the hook wins) so ORT uses its
 *   embedded Emscripten glue instead of trying to locate a script; proxy off, one thread.
 */
import * as ort from '../../vendor/ort/ort.wasm.mjs';
import ortWasmModule from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';

export { ort };
export type OrtSession = ort.InferenceSession;

type EmscriptenInstantiate = (
  imports: WebAssembly.Imports,
  done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
) => WebAssembly.Exports;

let configured = false;

function configureOrt(): void {
  if (configured) return;
  configured = true;
  const wasm = ort.env.wasm as typeof ort.env.wasm & { instantiateWasm?: EmscriptenInstantiate };
  wasm.numThreads = 1;
  wasm.proxy = false;
  wasm.wasmPaths = { wasm: 'ort-wasm-simd-threaded.wasm' };
  wasm.instantiateWasm = (imports, done) => {
    const instance = new WebAssembly.Instance(ortWasmModule, imports);
    done(instance, ortWasmModule);
    return instance.exports;
  };
}

/** Creates an ORT session from model bytes (call once per isolate and keep it). */
export async function createSession(bytes: ArrayBuffer | Uint8Array): Promise<OrtSession> {
  configureOrt();
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return ort.InferenceSession.create(data, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
}
