/**
 * The body of `POST /v1/audio/speech` (OpenAI's create-speech request plus `sample_rate` and `bitrate`), checked
 * into a typed request or refused with an OpenAI-shaped error naming the parameter. Pure.
 */
import { OPUS_BITRATES, OPUS_DECODE_RATE } from '../audio/opus/constants';
import { echo } from '../protocol/echo';
import { PROTOCOL_SAMPLE_RATES } from '../protocol/messages';
import { findModel, SPEECH_MODEL_ID, SPEECH_MODELS } from './openai-models';

/** Formats offered, OpenAI's order; `aac` is refused (no licence-clean AAC encoder that runs in a Worker). */
export const SPEECH_FORMATS = ['mp3', 'opus', 'flac', 'wav', 'pcm'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];
/** OpenAI's range for `speed`. */
export const SPEED_RANGE = { min: 0.25, max: 4 } as const;
/**
 * The fastest the model is asked for. Past 2 its durations stop shrinking (every phoneme keeps at least one frame):
 * 3 and 4 came out 10% and 12% shorter than 2 on a test sentence, with the pauses squeezed out rather than the speech
 * sped up. Faster requests are spoken at 2.
 */
export const MODEL_SPEED_MAX = 2;
/** OpenAI's `pcm`: raw 24 kHz 16-bit mono little-endian. */
export const OPENAI_PCM_RATE = 24000;

export interface SpeechRequest {
  input: string;
  /** Voice id, alias or blend spec. */
  voice: string;
  model: string;
  format: SpeechFormat;
  /** `stream_format: "sse"`: base64 audio in server-sent events instead of the raw body. */
  sse: boolean;
  /** What the model is asked for: the request's speed, at most MODEL_SPEED_MAX. */
  speed: number;
  /** Output rate; undefined: the format's default (the model's rate, 24 kHz for pcm, 48 kHz decode rate for opus). */
  sampleRate: number | undefined;
  /** Opus only, bit/s. */
  bitrate: number | undefined;
}

/** A refused request, as OpenAI reports one: `{"error":{"message","type","param","code"}}`. */
export class SpeechError extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: string } } {
    const type = this.status === 429 ? 'rate_limit_error' : this.status >= 500 ? 'server_error' : 'invalid_request_error';
    return { error: { message: this.message, type, param: this.param, code: this.code } };
  }
}

const quoted = (items: readonly (string | number)[]): string => items.map((f) => `"${f}"`).join(', ');
const bad = (param: string, message: string, code = 'bad_request'): SpeechError => new SpeechError(400, code, message, param);

export function parseSpeechRequest(raw: unknown, maxTextChars: number): SpeechRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SpeechError(400, 'bad_request', 'body must be a JSON object');
  const body = raw as Record<string, unknown>;

  const { input } = body;
  if (typeof input !== 'string') throw bad('input', 'input must be a string');
  if (input.trim() === '') throw bad('input', 'input is empty: give the text to speak', 'empty_input');
  if (input.length > maxTextChars) throw bad('input', `input exceeds ${maxTextChars} characters`, 'text_too_long');

  // OpenAI requires `model`; absent, this service's model is used (there is only one).
  const model = body.model ?? SPEECH_MODEL_ID;
  if (typeof model !== 'string' || !findModel(model)) {
    const shown = typeof model === 'string' ? `"${echo(model)}"` : 'a non-string';
    throw bad('model', `model ${shown} does not exist; models: ${quoted(SPEECH_MODELS.map((m) => m.id))}`, 'model_not_found');
  }

  // A string, or OpenAI's custom-voice object `{ "id": "..." }`.
  const v = body.voice;
  const voice = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>).id : v;
  if (typeof voice !== 'string' || voice === '') throw bad('voice', 'voice must be a non-empty string (or {"id": "..."})');

  const format = body.response_format ?? 'mp3';
  if (format === 'aac') {
    throw bad('response_format', `response_format "aac" is not offered (no licence-clean AAC encoder); use one of ${quoted(SPEECH_FORMATS)}`, 'unsupported_format');
  }
  if (typeof format !== 'string' || !(SPEECH_FORMATS as readonly string[]).includes(format)) {
    throw bad('response_format', `response_format must be one of ${quoted(SPEECH_FORMATS)}`, 'unsupported_format');
  }

  const streamFormat = body.stream_format ?? 'audio';
  if (streamFormat !== 'audio' && streamFormat !== 'sse') throw bad('stream_format', 'stream_format must be "audio" or "sse"');

  const speed = body.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= SPEED_RANGE.min && speed <= SPEED_RANGE.max)) {
    throw bad('speed', `speed must be a number from ${SPEED_RANGE.min} to ${SPEED_RANGE.max}`);
  }

  // The model has no style control: a non-empty instruction would be ignored, so it is refused instead.
  const { instructions } = body;
  if (instructions !== undefined && instructions !== null) {
    if (typeof instructions !== 'string') throw bad('instructions', 'instructions must be a string');
    if (instructions.trim() !== '') {
      throw bad('instructions', 'instructions are not supported: this model has one speaking style (use speed for the pace, voice for the speaker)', 'unsupported_parameter');
    }
  }

  const { bitrate } = body;
  if (bitrate !== undefined) {
    if (format !== 'opus') throw bad('bitrate', 'bitrate applies only to response_format "opus"');
    if (typeof bitrate !== 'number' || !Number.isInteger(bitrate) || bitrate < OPUS_BITRATES.min || bitrate > OPUS_BITRATES.max) {
      throw bad('bitrate', `bitrate must be an integer from ${OPUS_BITRATES.min} to ${OPUS_BITRATES.max} (bit/s)`);
    }
  }

  const sampleRate = body.sample_rate;
  if (sampleRate !== undefined) {
    if (format === 'opus') {
      if (sampleRate !== OPUS_DECODE_RATE) throw bad('sample_rate', `sample_rate must be left out or ${OPUS_DECODE_RATE} with response_format "opus"`, 'unsupported_format');
    } else if (typeof sampleRate !== 'number' || !PROTOCOL_SAMPLE_RATES.includes(sampleRate)) {
      throw bad('sample_rate', `sample_rate must be one of ${PROTOCOL_SAMPLE_RATES.join(', ')}`, 'unsupported_format');
    }
  }

  return {
    input,
    voice,
    model,
    format: format as SpeechFormat,
    sse: streamFormat === 'sse',
    speed: Math.min(speed, MODEL_SPEED_MAX),
    sampleRate: sampleRate as number | undefined,
    bitrate: bitrate as number | undefined,
  };
}

/** The rate a format is written at when `sample_rate` is left out. */
export function defaultSampleRate(format: SpeechFormat, modelRate: number): number {
  return format === 'pcm' ? OPENAI_PCM_RATE : format === 'opus' ? OPUS_DECODE_RATE : modelRate;
}
