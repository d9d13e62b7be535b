/** Protocol v1 message types (see protocol-v1.md). */

export type ProtocolErrorCode =
  | 'bad_request'
  | 'unknown_voice'
  | 'text_too_long'
  | 'unsupported_format'
  | 'rate_limited'
  | 'busy'
  | 'internal';

/** Audio encodings the service offers. */
export type ProtocolFormat = 'pcm16';

export const PROTOCOL_FORMATS: readonly ProtocolFormat[] = ['pcm16'];
/** Output sample rates: the model's own (22050) and resampled telephony/web rates. */
export const PROTOCOL_SAMPLE_RATES: readonly number[] = [22050, 16000, 24000];

export interface ProtocolSpeak {
  type: 'speak';
  id: string;
  text: string;
  voice: string;
  /** @default 'pcm16' */
  format: ProtocolFormat;
  /** @default the model's rate (22050) */
  sampleRate: number | undefined;
  /** 0.5–2.0. @default 1 */
  speed: number;
  /** Preferred audio per binary chunk, 20–1000. @default 80 */
  chunkMs: number;
  /** @default true */
  final: boolean;
}

export interface ProtocolCancel {
  type: 'cancel';
  id: string;
}

export interface ProtocolPing {
  type: 'ping';
  t?: unknown;
}

export type ProtocolClientMessage = ProtocolSpeak | ProtocolCancel | ProtocolPing;

export interface ProtocolWord {
  text: string;
  startMs: number;
  endMs: number;
}

export type ProtocolServerMessage =
  | { type: 'start'; id: string; format: ProtocolFormat; sampleRate: number; channels: 1 }
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
