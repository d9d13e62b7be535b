/** Test support: the libopus runtime in Node, compiled from the package's bytes (the Worker imports the module). */
import { opusRuntime, type OpusRuntime } from './runtime';

let cached: Promise<OpusRuntime> | undefined;

export function nodeOpusRuntime(): Promise<OpusRuntime> {
  cached ??= (async () => {
    // Node-only module, typed by hand: the project's tsconfig has workerd types, not Node's.
    const fsName = 'node:fs/promises';
    const fs = (await import(fsName)) as { readFile(path: string): Promise<Uint8Array> };
    const bytes = await fs.readFile('node_modules/@evan/opus/wasm/opus.wasm');
    // workerd's types make WebAssembly.Module abstract (no compiling from bytes in the Worker); Node allows it.
    const Compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
    return opusRuntime(new Compile(bytes));
  })();
  return cached;
}
