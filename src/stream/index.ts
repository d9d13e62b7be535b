/**
 * @module
 * Streaming: the protocol v1 session loop and the text → audio generator. Pure (dependencies injected).
 */
export { StreamFramer } from './framer';
export { StreamRequestError, StreamSession } from './session';
export type { StreamSessionDeps, StreamSessionLimits } from './session';
export { synthesizeStream } from './synthesize';
export type { StreamMeter, StreamOptions, StreamPhonemized, StreamPiece, StreamSynthesizer } from './synthesize';
export { boundedRuns, MAX_RUN_IDS, runIdCap } from './runs';
