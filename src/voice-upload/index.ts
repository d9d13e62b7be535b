/**
 * @module
 * Voice uploads (`PUT /v1/voices/:id`): validation of metadata and embedding, and the stored byte layout. Pure.
 */
export { embeddingBytes, parseVoiceUpload, VOICE_ID, VoiceUploadError } from './parse';
export type { VoiceUpload, VoiceUploadOptions } from './parse';
