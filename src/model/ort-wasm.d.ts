// wrangler's default CompiledWasm rule turns a `.wasm` import into a precompiled WebAssembly.Module.
declare module 'onnxruntime-web/ort-wasm-simd-threaded.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
