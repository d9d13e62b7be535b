/**
 * @module
 * Text front end: normalisation of raw text to speakable words (with spans in the
 * original text) and chunking for streaming synthesis.
 */
import { groupChunks } from "./chunk";
import { normalizeText } from "./normalize";
import type { TextChunk } from "./types";
import { assertString } from "./types";

export type { TextChunk, WordSpan } from "./types";
export { IncrementalChunker } from "./incremental";

/**
 * Speakable chunks of `text`, in order; empty or unspeakable text gives [].
 * @throws TypeError when `text` is not a string (callers parsing JSON may pass anything).
 */
export function planChunks(text: string): TextChunk[] {
  assertString(text);
  return groupChunks(normalizeText(text)).chunks;
}
