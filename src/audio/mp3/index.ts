/**
 * @module
 * MP3: a streaming constant-bitrate encoder over LAME compiled to wasm (`wasm-media-encoders`). Pure: the wasm module
 * comes in as a parameter; `./wasm-module` imports it in the Worker (kept out of this barrel so Node tests can load
 * the library with the bytes read from disk).
 */
export { MP3_DEFAULT_KBPS, MP3_SAMPLE_RATES, Mp3StreamEncoder } from './encoder';
export type { Mp3EncoderOptions } from './encoder';
export { LAME_WASM_VERSION, lameRuntime, LameRuntime, Mp3Error } from './runtime';
