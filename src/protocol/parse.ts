/** Parsing of client frames into typed messages; every failure names the field. Pure. */
// The Opus limits are the codec's own (src/audio/opus/constants.ts, plain numbers with no imports).
import { OPUS_BITRATES, OPUS_DECODE_RATE } from '../audio/opus/constants';
import {
  PROTOCOL_FORMATS,
  PROTOCOL_SAMPLE_RATES,
  type ProtocolClientMessage,
  type ProtocolError,
  type ProtocolFormat,
  type ProtocolServerMessage,
} from './messages';

export type ProtocolParseResult = { ok: true; message: ProtocolClientMessage } | { ok: false; error: ProtocolError };

const bad = (id: string | null, message: string, code: ProtocolError['code'] = 'bad_request'): ProtocolParseResult => ({
  ok: false,
  error: { id, code, message },
});

function optionalNumber(o: Record<string, unknown>, key: string): number | undefined | string {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${key} must be a number`;
  return v;
}

/** Parses one client frame. Binary frames and non-JSON text are `bad_request`. */
export function parseClientMessage(data: string | ArrayBuffer): ProtocolParseResult {
  if (typeof data !== 'string') return bad(null, 'binary frames are not accepted; send JSON text frames');
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return bad(null, 'malformed JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(null, 'message must be a JSON object');
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id : null;
  switch (o.type) {
    case 'ping':
      return { ok: true, message: o.t === undefined ? { type: 'ping' } : { type: 'ping', t: o.t } };
    case 'cancel':
      if (id === null || id === '') return bad(null, 'cancel needs a string id');
      return { ok: true, message: { type: 'cancel', id } };
    case 'speak':
      return parseSpeak(o, id);
    case 'ack':
      // Reported with id null: a bad acknowledgement must not end the request it names.
      if (id === null || id === '') return bad(null, 'ack needs a string id');
      if (typeof o.seq !== 'number' || !Number.isInteger(o.seq) || o.seq < 0) return bad(null, 'ack: seq must be a non-negative integer');
      return { ok: true, message: { type: 'ack', id, seq: o.seq } };
    default:
      return bad(id, typeof o.type === 'string' ? `unknown message type "${o.type}"` : 'missing string field "type"');
  }
}

function parseSpeak(o: Record<string, unknown>, id: string | null): ProtocolParseResult {
  if (id === null || id === '') return bad(null, 'speak needs a non-empty string id');
  if (typeof o.text !== 'string') return bad(id, 'text must be a string');
  if (typeof o.voice !== 'string' || o.voice === '') return bad(id, 'voice must be a non-empty string');
  if (o.format !== undefined && typeof o.format !== 'string') return bad(id, 'format must be a string');
  const format = (o.format ?? 'pcm16') as string;
  if (!PROTOCOL_FORMATS.includes(format as ProtocolFormat)) {
    return bad(id, `format "${format}" is not offered (offered: ${PROTOCOL_FORMATS.join(', ')})`, 'unsupported_format');
  }
  const sampleRate = optionalNumber(o, 'sampleRate');
  if (typeof sampleRate === 'string') return bad(id, sampleRate);
  if (format === 'opus') {
    if (sampleRate !== undefined && sampleRate !== OPUS_DECODE_RATE) {
      return bad(id, `Opus is decoded at ${OPUS_DECODE_RATE} Hz; leave sampleRate out or set it to ${OPUS_DECODE_RATE}`, 'unsupported_format');
    }
  } else if (sampleRate !== undefined && !PROTOCOL_SAMPLE_RATES.includes(sampleRate)) {
    return bad(id, `sampleRate ${sampleRate} is not offered (offered: ${PROTOCOL_SAMPLE_RATES.join(', ')})`, 'unsupported_format');
  }
  const bitrate = optionalNumber(o, 'bitrate');
  if (typeof bitrate === 'string') return bad(id, bitrate);
  if (bitrate !== undefined && format !== 'opus') return bad(id, 'bitrate applies to format "opus" only');
  const { min, max } = OPUS_BITRATES;
  if (bitrate !== undefined && !(Number.isInteger(bitrate) && bitrate >= min && bitrate <= max)) return bad(id, `bitrate must be an integer within ${min}–${max} bit/s`);
  const resumeFrom = optionalNumber(o, 'resumeFrom');
  if (typeof resumeFrom === 'string') return bad(id, resumeFrom);
  if (resumeFrom !== undefined && !(Number.isInteger(resumeFrom) && resumeFrom >= 0)) return bad(id, 'resumeFrom must be a non-negative integer');
  const wordsAfterMs = optionalNumber(o, 'wordsAfterMs');
  if (typeof wordsAfterMs === 'string') return bad(id, wordsAfterMs);
  if (o.ack !== undefined && typeof o.ack !== 'boolean') return bad(id, 'ack must be a boolean');
  const speed = optionalNumber(o, 'speed');
  if (typeof speed === 'string') return bad(id, speed);
  if (speed !== undefined && (speed < 0.5 || speed > 2)) return bad(id, 'speed must be within 0.5–2.0');
  const chunkMs = optionalNumber(o, 'chunkMs');
  if (typeof chunkMs === 'string') return bad(id, chunkMs);
  if (chunkMs !== undefined && (chunkMs < 20 || chunkMs > 1000)) return bad(id, 'chunkMs must be within 20–1000');
  if (o.final !== undefined && typeof o.final !== 'boolean') return bad(id, 'final must be a boolean');
  return {
    ok: true,
    message: {
      type: 'speak',
      id,
      text: o.text,
      voice: o.voice,
      format: format as ProtocolFormat,
      sampleRate,
      speed: speed ?? 1,
      chunkMs: chunkMs ?? 80,
      final: o.final ?? true,
      bitrate: format === 'opus' ? (bitrate ?? OPUS_BITRATES.default) : undefined,
      resumeFrom: resumeFrom ?? 0,
      wordsAfterMs,
      ack: o.ack ?? false,
    },
  };
}

/** JSON text of a server message. */
export function serializeServerMessage(message: ProtocolServerMessage): string {
  return JSON.stringify(message);
}

/** A binary audio frame: 4-byte little-endian sequence number, then the payload. */
export function encodeAudioFrame(seq: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + payload.length);
  new DataView(frame.buffer).setUint32(0, seq, true);
  frame.set(payload, 4);
  return frame;
}
