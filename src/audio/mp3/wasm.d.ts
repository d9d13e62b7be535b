// wrangler's default CompiledWasm rule turns a `.wasm` import into a precompiled WebAssembly.Module.
declare module '*/wasm-media-encoders/wasm/mp3.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
