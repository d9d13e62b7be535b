/**
 * @module
 * Opus: a streaming encoder/decoder over libopus compiled to wasm (`@evan/opus`), the WebSocket packet framing
 * and an Ogg Opus writer. Pure: the wasm module comes in as a parameter; `./wasm-module` imports it in the Worker
 * (kept out of this barrel so Node tests can load the library with the bytes read from disk).
 */
export { OPUS_BITRATES, OPUS_DECODE_RATE, OPUS_FRAME_MS, OPUS_FRAME_SAMPLES, OPUS_FRAME_SAMPLES_48K, OPUS_INPUT_RATE } from './constants';
export { OpusStreamDecoder } from './decoder';
export { OPUS_COMPLEXITY, OpusStreamEncoder } from './encoder';
export type { OpusEncoderOptions } from './encoder';
export { OpusError } from './errors';
export { MAX_FRAMED_PACKET_BYTES, packOpusPackets, unpackOpusPackets } from './frames';
export { OggOpusWriter } from './ogg';
export type { OggOpusOptions, OggPagesOptions } from './ogg';
export { oggCrc32 } from './ogg-crc';
export { OggOpusStream, OPUS_VENDOR } from './ogg-stream';
export type { OggOpusStreamOptions } from './ogg-stream';
export { opusRuntime, OpusRuntime } from './runtime';
