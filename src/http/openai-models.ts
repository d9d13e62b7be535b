/**
 * The model ids `POST /v1/audio/speech` accepts and `GET /v1/models` lists, in OpenAI's list shape. There is one
 * speech model; OpenAI's speech model ids are accepted as names for it, so clients written for OpenAI work unchanged.
 */

/** This service's model id. */
export const SPEECH_MODEL_ID = 'edge-tts-1';
/** OpenAI's speech model ids, served by the same model. */
export const OPENAI_SPEECH_MODELS = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'gpt-4o-mini-tts-2025-12-15'] as const;
/** Fixed so the list is the same from every isolate: the date the int8 model was first published (2026-01-01 UTC). */
const CREATED = 1_767_225_600;

export interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export const SPEECH_MODELS: readonly OpenAiModel[] = [SPEECH_MODEL_ID, ...OPENAI_SPEECH_MODELS].map((id) => ({
  id,
  object: 'model',
  created: CREATED,
  owned_by: 'edge-tts',
}));

export function findModel(id: string): OpenAiModel | undefined {
  return SPEECH_MODELS.find((m) => m.id === id);
}

export const modelList = (): { object: 'list'; data: readonly OpenAiModel[] } => ({ object: 'list', data: SPEECH_MODELS });
