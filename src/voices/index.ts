/**
 * @module
 * Voices: sidecar validation, KV-backed registry with an isolate cache and bundled fallback, blends.
 */
export { blendEmbeddings, decodeEmbedding, parseBlend, parseVoiceMeta } from './parse';
export type { VoiceBlendPart } from './parse';
export { DEFAULT_ALIAS_TARGET, OPENAI_VOICE_NAMES, parseVoiceAliases } from './aliases';
export type { VoiceAliases } from './aliases';
export { VoiceRegistry } from './registry';
export type { VoiceRegistryOptions, VoicesKv } from './registry';
export { VoiceError } from './types';
export type { Voice, VoiceMeta } from './types';
