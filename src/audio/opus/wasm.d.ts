// wrangler's default CompiledWasm rule turns a `.wasm` import into a precompiled WebAssembly.Module.
declare module '@evan/opus/wasm/opus.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
