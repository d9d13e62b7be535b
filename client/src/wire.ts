/**
 * The client's view of the wire contract: protocol v1 and its extensions, docs/protocol.md (Opus, resumeFrom, ack).
 * The message shapes are the Worker's own protocol types (type-only imports: nothing of the Worker is bundled); error
 * codes stay open strings, so a client keeps working when a newer server adds codes.
 */
import type { ProtocolFormat, ProtocolOpusInfo, ProtocolServerMessage, ProtocolWord } from '../../src/protocol/messages';

/** Audio formats the client can decode. */
export type TtsFormat = ProtocolFormat;

export type TtsWord = ProtocolWord;

export interface TtsStartMessage {
  type: 'start';
  id: string;
  format: TtsFormat;
  sampleRate: number;
  channels: number;
  opus?: ProtocolOpusInfo;
  resumeFrom?: number;
}

export type TtsDoneMessage = Extract<ProtocolServerMessage, { type: 'done' }>;

export interface TtsErrorMessage {
  type: 'error';
  id: string | null;
  code: string;
  message: string;
}

export type TtsServerMessage =
  | TtsStartMessage
  | { type: 'words'; id: string; words: TtsWord[] }
  | TtsDoneMessage
  | { type: 'cancelled'; id: string }
  | TtsErrorMessage
  | { type: 'pong'; t?: unknown };

/** The `speak` fields that define a request's audio; resume re-sends exactly these. */
export interface TtsSpeakParams {
  text: string;
  voice: string;
  /** @default 'pcm16' */
  format?: TtsFormat;
  /** pcm16 only (Opus always decodes at 48000). @default the model's rate */
  sampleRate?: number;
  /** 0.5–2.0. @default 1 */
  speed?: number;
  /** Preferred audio per chunk, 20–1000 ms. @default the server's (about 80) */
  chunkMs?: number;
  /** Opus bits per second, 16000–32000. @default 24000 */
  bitrate?: number;
  /** false: more text follows with `handle.append()` (text streamed from a language model). @default true */
  final?: boolean;
}

/** Builds the JSON text of a `speak` message. Only fields the caller set are sent, so a v1 server sees v1. */
export function speakMessage(id: string, p: TtsSpeakParams, extra: { ack: boolean; resumeFrom: number | null; wordsAfterMs?: number }): string {
  const m: Record<string, unknown> = { type: 'speak', id, text: p.text, voice: p.voice };
  if (p.format !== undefined) m.format = p.format;
  if (p.sampleRate !== undefined) m.sampleRate = p.sampleRate;
  if (p.speed !== undefined) m.speed = p.speed;
  if (p.chunkMs !== undefined) m.chunkMs = p.chunkMs;
  if (p.bitrate !== undefined && p.format === 'opus') m.bitrate = p.bitrate;
  if (p.final === false) m.final = false;
  if (extra.ack) m.ack = true;
  if (extra.resumeFrom !== null && extra.resumeFrom > 0) {
    m.resumeFrom = extra.resumeFrom;
    if (extra.wordsAfterMs !== undefined) m.wordsAfterMs = extra.wordsAfterMs;
  }
  return JSON.stringify(m);
}

/** More text for an open request (`final: false` until the last piece). */
export function continueMessage(id: string, voice: string, piece: { text: string; final: boolean }): string {
  return JSON.stringify({ type: 'speak', id, text: piece.text, voice, final: piece.final });
}

/** Parses a server text frame; null for anything that is not a JSON object with a string `type`. */
export function parseServerMessage(text: string): TtsServerMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') return null;
  return raw as TtsServerMessage;
}

/** Splits a binary frame into its v1 sequence number (u32 LE) and payload. */
export function splitAudioFrame(frame: ArrayBuffer): { seq: number; payload: Uint8Array } {
  if (frame.byteLength < 4) throw new TtsError('bad_frame', `binary frame of ${frame.byteLength} bytes has no sequence number`);
  const seq = new DataView(frame).getUint32(0, true);
  return { seq, payload: new Uint8Array(frame, 4) };
}

/**
 * Every failure the client reports: the server's error codes (`unknown_voice`, `rate_limited`, ...) and the client's
 * own (`connection_failed` after the last reconnect, `decode_failed`, `bad_frame`, `unsupported_format`).
 */
export class TtsError extends Error {
  override readonly name = 'TtsError';
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}
