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

/** A named output of a session run, typed; throws if the graph did not produce it. */
export function tensorData<T>(out: ort.InferenceSession.ReturnType, name: string): { data: T; dims: readonly number[] } {
  const t = out[name];
  if (!t) throw new Error(`model output "${name}" missing`);
  return { data: t.data as T, dims: t.dims };
}

type EmscriptenInstantiate = (
  imports: WebAssembly.Imports,
  done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
) => WebAssembly.Exports;

let configured = false;
/** ORT's wasm linear memory (Emscripten creates it and passes it in the imports; captured by the instantiate hook). */
let wasmMemory: WebAssembly.Memory | undefined;

function findMemory(...namespaces: unknown[]): WebAssembly.Memory | undefined {
  for (const ns of namespaces) {
    if (!ns || typeof ns !== 'object') continue;
    for (const v of Object.values(ns)) {
      if (v instanceof WebAssembly.Memory) return v;
      if (v && typeof v === 'object') for (const w of Object.values(v)) if (w instanceof WebAssembly.Memory) return w;
    }
  }
  return undefined;
}

/**
 * Current size in bytes of ORT's wasm linear memory (models, arena, activations), or 0 before ORT is instantiated.
 * Linear memory only grows, so this is also its peak so far in this isolate.
 */
export function wasmMemoryBytes(): number {
  return wasmMemory?.buffer.byteLength ?? 0;
}

function configureOrt(): void {
  if (configured) return;
  configured = true;
  const wasm = ort.env.wasm as typeof ort.env.wasm & { instantiateWasm?: EmscriptenInstantiate };
  wasm.numThreads = 1;
  wasm.proxy = false;
  wasm.wasmPaths = { wasm: 'ort-wasm-simd-threaded.wasm' };
  wasm.instantiateWasm = (imports, done) => {
    const instance = new WebAssembly.Instance(ortWasmModule, imports);
    wasmMemory = findMemory(instance.exports, imports);
    done(instance, ortWasmModule);
    return instance.exports;
  };
}

/**
 * Creates an ORT session from model bytes (call once per isolate and keep it). A file saved already optimised
 * offline is loaded as it is: optimising again would cost most of the session's creation time and change nothing.
 */
export async function createSession(bytes: ArrayBuffer | Uint8Array, preOptimized = false): Promise<OrtSession> {
  configureOrt();
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return ort.InferenceSession.create(data, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: preOptimized ? 'disabled' : 'all',
  });
}
