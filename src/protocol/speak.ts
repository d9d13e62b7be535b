/**
 * `speak` frames: each option checked on its own (parseSpeakPiece), then either completed into a request with its
 * defaults (openSpeak, for a first piece) or compared with the request it continues (pieceMismatch). Pure.
 */
// The Opus limits are the codec's own (src/audio/opus/constants.ts, plain numbers with no imports).
import { OPUS_BITRATES, OPUS_DECODE_RATE } from '../audio/opus/constants';
import { echo } from './echo';
import {
  PROTOCOL_FORMATS,
  PROTOCOL_SAMPLE_RATES,
  type ProtocolError,
  type ProtocolFormat,
  type ProtocolSpeak,
  type ProtocolSpeakOptions,
  type ProtocolSpeakPiece,
} from './messages';

type Failure = { ok: false; error: ProtocolError };

const fail = (id: string | null, message: string, code: ProtocolError['code'] = 'bad_request'): Failure => ({
  ok: false,
  error: { id, code, message },
});

/** A number field: undefined when absent (or null), else the number, or a message when it is not one. */
function numberField(o: Record<string, unknown>, key: string): number | undefined | { error: string } {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `${key} must be a number` };
  return v;
}

/** Each option the frame carries, type- and range-checked alone; checks between options wait for openSpeak. */
export function parseSpeakPiece(o: Record<string, unknown>, id: string): { ok: true; message: ProtocolSpeakPiece } | Failure {
  if (typeof o.text !== 'string') return fail(id, 'text must be a string');
  if (o.final !== undefined && typeof o.final !== 'boolean') return fail(id, 'final must be a boolean');
  const options: Partial<ProtocolSpeakOptions> = {};
  if (o.voice !== undefined) {
    if (typeof o.voice !== 'string' || o.voice === '') return fail(id, 'voice must be a non-empty string');
    options.voice = o.voice;
  }
  if (o.format !== undefined) {
    if (typeof o.format !== 'string') return fail(id, 'format must be a string');
    if (!PROTOCOL_FORMATS.includes(o.format as ProtocolFormat)) {
      return fail(id, `format "${echo(o.format)}" is not offered (offered: ${PROTOCOL_FORMATS.join(', ')})`, 'unsupported_format');
    }
    options.format = o.format as ProtocolFormat;
  }
  const { min, max } = OPUS_BITRATES;
  const numbers: [keyof ProtocolSpeakOptions, (v: number) => boolean, string][] = [
    ['sampleRate', () => true, ''],
    ['speed', (v) => v >= 0.5 && v <= 2, 'speed must be within 0.5–2.0'],
    ['chunkMs', (v) => v >= 20 && v <= 1000, 'chunkMs must be within 20–1000'],
    ['bitrate', (v) => Number.isInteger(v) && v >= min && v <= max, `bitrate must be an integer within ${min}–${max} bit/s`],
    ['resumeFrom', (v) => Number.isInteger(v) && v >= 0, 'resumeFrom must be a non-negative integer'],
    ['wordsAfterMs', () => true, ''],
  ];
  for (const [key, valid, rule] of numbers) {
    const v = numberField(o, key);
    if (typeof v === 'object') return fail(id, v.error);
    if (v === undefined) continue;
    if (!valid(v)) return fail(id, rule);
    (options as Record<string, number>)[key] = v;
  }
  if (o.ack !== undefined) {
    if (typeof o.ack !== 'boolean') return fail(id, 'ack must be a boolean');
    options.ack = o.ack;
  }
  return { ok: true, message: { type: 'speak', id, text: o.text, final: o.final ?? true, options } };
}

/** A first piece as a request: `voice` is required, options are checked against each other, defaults filled in. */
export function openSpeak(piece: ProtocolSpeakPiece): { ok: true; speak: ProtocolSpeak } | Failure {
  const { id, options: o } = piece;
  if (o.voice === undefined) return fail(id, 'voice must be a non-empty string');
  const format = o.format ?? 'pcm16';
  if (format === 'opus') {
    if (o.sampleRate !== undefined && o.sampleRate !== OPUS_DECODE_RATE) {
      return fail(id, `Opus is decoded at ${OPUS_DECODE_RATE} Hz; leave sampleRate out or set it to ${OPUS_DECODE_RATE}`, 'unsupported_format');
    }
  } else {
    if (o.sampleRate !== undefined && !PROTOCOL_SAMPLE_RATES.includes(o.sampleRate)) {
      return fail(id, `sampleRate ${o.sampleRate} is not offered (offered: ${PROTOCOL_SAMPLE_RATES.join(', ')})`, 'unsupported_format');
    }
    if (o.bitrate !== undefined) return fail(id, 'bitrate applies to format "opus" only');
  }
  return {
    ok: true,
    speak: {
      type: 'speak',
      id,
      text: piece.text,
      final: piece.final,
      voice: o.voice,
      format,
      sampleRate: o.sampleRate,
      speed: o.speed ?? 1,
      chunkMs: o.chunkMs ?? 80,
      bitrate: format === 'opus' ? (o.bitrate ?? OPUS_BITRATES.default) : undefined,
      resumeFrom: o.resumeFrom ?? 0,
      wordsAfterMs: o.wordsAfterMs,
      ack: o.ack ?? false,
    },
  };
}

const shown = (v: unknown): string => (v === undefined ? 'not set' : typeof v === 'string' ? `"${echo(v)}"` : String(v));

/**
 * Why a later piece of an incremental request is refused, or undefined when it is fine: it may carry only `id`,
 * `text` and `final`, and any option it repeats must equal the request's (as the first piece set it, defaults
 * included), since options cannot change mid-request.
 */
export function pieceMismatch(request: ProtocolSpeak, piece: ProtocolSpeakPiece): string | undefined {
  for (const [key, value] of Object.entries(piece.options) as [keyof ProtocolSpeakOptions, unknown][]) {
    if (value !== request[key]) {
      return `${key} cannot change within a request (first piece: ${shown(request[key])}, this piece: ${shown(value)}); later pieces need only id, text and final`;
    }
  }
  return undefined;
}
