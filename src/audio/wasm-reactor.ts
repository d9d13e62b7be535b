/** What the isolate's codec runtimes (libopus, LAME: WASI reactors imported precompiled) share. Pure. */

/** The NUL-terminated string at `ptr` in a wasm heap (C strings from the library: ASCII). */
export function readCString(heap: Uint8Array, ptr: number): string {
  let end = ptr;
  while (end < heap.length && heap[end] !== 0) end++;
  return String.fromCharCode(...heap.subarray(ptr, end));
}

/** `create(module)` once per wasm module, cached for the life of the isolate. */
export function onePerModule<T>(create: (module: WebAssembly.Module) => T): (module: WebAssembly.Module) => T {
  const made = new WeakMap<WebAssembly.Module, T>();
  return (module) => {
    let rt = made.get(module);
    if (rt === undefined) {
      rt = create(module);
      made.set(module, rt);
    }
    return rt;
  };
}
