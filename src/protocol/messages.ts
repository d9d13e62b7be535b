/** Protocol v1 message types and the extensions (docs/protocol.md). */

export type ProtocolErrorCode =
  | 'bad_request'
  | 'unknown_voice'
  | 'text_too_long'
  | 'unsupported_format'
  | 'rate_limited'
  | 'busy'
  | 'slow_consumer'
  | 'internal';

/** Audio encodings the service offers. */
export type ProtocolFormat = 'pcm16' | 'opus';

export const PROTOCOL_FORMATS: readonly ProtocolFormat[] = ['pcm16', 'opus'];
/** Output sample rates: the model's own (22050) and resampled telephony/web rates. */
export const PROTOCOL_SAMPLE_RATES: readonly number[] = [22050, 16000, 24000];

/** A request's options: set by its first `speak` piece; a later piece may only repeat them unchanged. */
export interface ProtocolSpeakOptions {
  voice: string;
  /** @default 'pcm16' */
  format: ProtocolFormat;
  /** @default the model's rate (22050) */
  sampleRate: number | undefined;
  /** 0.5–2.0. @default 1 */
  speed: number;
  /** Preferred audio per binary chunk, 20–1000. @default 80 */
  chunkMs: number;
  /** Opus bit/s (extension); only with format opus. @default 24000 for opus */
  bitrate: number | undefined;
  /** First chunk seq to send (extension: resume after a dropped connection). @default 0 */
  resumeFrom: number;
  /** With resumeFrom: send the words that end after this (the last word end the client has). @default where chunk resumeFrom begins */
  wordsAfterMs: number | undefined;
  /** The client acknowledges chunks with `ack` messages and gets flow control (extension). @default false */
  ack: boolean;
}

/** A request as its first piece opened it, with every option filled in. */
export interface ProtocolSpeak extends ProtocolSpeakOptions {
  type: 'speak';
  id: string;
  text: string;
  /** @default true */
  final: boolean;
}

/**
 * One `speak` frame as sent: `options` holds only the options the frame carried, each checked on its own. Whether
 * they make a request (a first piece) or must match one (a later piece of an incremental request) is the session's
 * call, since only it knows which ids are open.
 */
export interface ProtocolSpeakPiece {
  type: 'speak';
  id: string;
  text: string;
  final: boolean;
  options: Partial<ProtocolSpeakOptions>;
}

export interface ProtocolCancel {
  type: 'cancel';
  id: string;
}

export interface ProtocolPing {
  type: 'ping';
  t?: unknown;
}

/** Extension: chunks 0..seq of request `id` have arrived. */
export interface ProtocolAck {
  type: 'ack';
  id: string;
  seq: number;
}

export type ProtocolClientMessage = ProtocolSpeakPiece | ProtocolCancel | ProtocolPing | ProtocolAck;

/** How to decode an Opus request's packets (extension). */
export interface ProtocolOpusInfo {
  frameMs: number;
  inputRate: number;
  bitrate: number;
  /** 48 kHz samples to drop from the start of the decoded audio. */
  preSkip: number;
}

export interface ProtocolWord {
  text: string;
  startMs: number;
  endMs: number;
}

export type ProtocolServerMessage =
  | { type: 'start'; id: string; format: ProtocolFormat; sampleRate: number; channels: 1; opus?: ProtocolOpusInfo; resumeFrom?: number }
  | { type: 'words'; id: string; words: ProtocolWord[] }
  | { type: 'done'; id: string; chunks: number; audioMs: number; firstAudioMs: number; totalMs: number }
  | { type: 'cancelled'; id: string }
  | { type: 'error'; id: string | null; code: ProtocolErrorCode; message: string }
  | { type: 'pong'; t?: unknown };

export interface ProtocolError {
  id: string | null;
  code: ProtocolErrorCode;
  message: string;
}
