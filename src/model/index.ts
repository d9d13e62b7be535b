/**
 * @module
 * Model runtime: ORT (WASM) in workerd, the acoustic and vocoder sessions, manifest validation.
 */
export { parseManifest } from './manifest';
export { loadModels, synthesizeIds, vocodeFrames } from './models';
export { wasmMemoryBytes } from './ort';
export { ModelScheduler, ScheduledRequest } from './scheduler';
export type { Models } from './models';
export type { ModelAcousticOutput, ModelManifest, RawModelBundle } from './types';
