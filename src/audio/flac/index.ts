/**
 * @module
 * FLAC: a streaming 16-bit mono encoder in plain TypeScript (fixed predictors, Rice residuals) with an exact
 * STREAMINFO. Pure.
 */
export { FLAC_BLOCK_SIZE, FlacStreamEncoder } from './encoder';
export type { FlacEncoderOptions } from './encoder';
