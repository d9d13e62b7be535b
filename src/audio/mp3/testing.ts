/** Test support: LAME's runtime in Node, compiled from the package's bytes (the Worker imports the module). */
import { lameRuntime, type LameRuntime } from './runtime';

let cached: Promise<LameRuntime> | undefined;

export function nodeLameRuntime(): Promise<LameRuntime> {
  cached ??= (async () => {
    // Node-only module, typed by hand: the project's tsconfig has workerd types, not Node's.
    const fsName = 'node:fs/promises';
    const fs = (await import(fsName)) as { readFile(path: string): Promise<Uint8Array> };
    const bytes = await fs.readFile('node_modules/wasm-media-encoders/wasm/mp3.wasm');
    // workerd's types make WebAssembly.Module abstract (no compiling from bytes in the Worker); Node allows it.
    const Compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
    return lameRuntime(new Compile(bytes));
  })();
  return cached;
}
