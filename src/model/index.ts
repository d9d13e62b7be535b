/**
 * @module
 * Model runtime: ORT (WASM) in workerd, the acoustic and vocoder sessions, manifest validation.
 */
export { parseManifest } from './manifest';
export { loadModels, synthesizeIds, warmUp, WARM_UP_ROUNDS } from './models';
export { wasmMemoryBytes } from './ort';
export { ModelScheduler, ScheduledRequest } from './scheduler';
export type { Models, WarmUp } from './models';
export type { ModelAcousticOutput, ModelManifest, RawModelBundle } from './types';
export { VocoderStream } from './vocoder-stream';
