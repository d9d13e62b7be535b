/** Parsing of client frames into typed messages; every failure names the field. Pure. */
import { echo } from './echo';
import type { ProtocolClientMessage, ProtocolError, ProtocolServerMessage } from './messages';
import { parseSpeakPiece } from './speak';

export type ProtocolParseResult = { ok: true; message: ProtocolClientMessage } | { ok: false; error: ProtocolError };

/** Longest id a client may give a request; longer ones are refused before anything is stored. */
export const MAX_ID_CHARS = 128;

const bad = (id: string | null, message: string): ProtocolParseResult => ({ ok: false, error: { id, code: 'bad_request', message } });

/**
 * Longest text frame parsed: a speak frame with the longest accepted text fully `\u`-escaped (6 characters per
 * character) and every option fits. Longer frames are refused before JSON.parse runs, so one frame's parse work is
 * bounded (1,000 frames of 100 KB stalled other sockets of the isolate).
 */
export const MAX_FRAME_CHARS = 64 * 1024;

/** Parses one client frame. Binary frames and non-JSON text are `bad_request`. */
export function parseClientMessage(data: string | ArrayBuffer): ProtocolParseResult {
  if (typeof data !== 'string') return bad(null, 'binary frames are not accepted; send JSON text frames');
  if (data.length > MAX_FRAME_CHARS) return bad(null, `frame has ${data.length} characters; frames have at most ${MAX_FRAME_CHARS}`);
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return bad(null, 'malformed JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(null, 'message must be a JSON object');
  const o = raw as Record<string, unknown>;
  // An over-long id is never echoed back as an id (it is nobody's request): the error carries id null.
  if (typeof o.id === 'string' && o.id.length > MAX_ID_CHARS) {
    return bad(null, `id "${echo(o.id)}" has ${o.id.length} characters; ids have at most ${MAX_ID_CHARS}`);
  }
  const id = typeof o.id === 'string' ? o.id : null;
  switch (o.type) {
    case 'ping':
      return { ok: true, message: o.t === undefined ? { type: 'ping' } : { type: 'ping', t: o.t } };
    case 'cancel':
      if (id === null || id === '') return bad(null, 'cancel needs a string id');
      return { ok: true, message: { type: 'cancel', id } };
    case 'speak':
      if (id === null || id === '') return bad(null, 'speak needs a non-empty string id');
      return parseSpeakPiece(o, id);
    case 'ack':
      // Reported with id null: a bad acknowledgement must not end the request it names.
      if (id === null || id === '') return bad(null, 'ack needs a string id');
      if (typeof o.seq !== 'number' || !Number.isInteger(o.seq) || o.seq < 0) return bad(null, 'ack: seq must be a non-negative integer');
      return { ok: true, message: { type: 'ack', id, seq: o.seq } };
    default:
      return bad(id, typeof o.type === 'string' ? `unknown message type "${echo(o.type)}"` : 'missing string field "type"');
  }
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
