/**
 * @module
 * Protocol v1 and its extensions (docs/protocol.md): client/server message types, parsing, serialization, binary
 * audio framing. Pure.
 */
export { echo, ECHO_CHARS } from './echo';
export { encodeAudioFrame, MAX_ID_CHARS, parseClientMessage, serializeServerMessage } from './parse';
export type { ProtocolParseResult } from './parse';
export { openSpeak, pieceMismatch } from './speak';
export { PROTOCOL_FORMATS, PROTOCOL_SAMPLE_RATES } from './messages';
export type {
  ProtocolAck,
  ProtocolCancel,
  ProtocolClientMessage,
  ProtocolError,
  ProtocolErrorCode,
  ProtocolFormat,
  ProtocolOpusInfo,
  ProtocolPing,
  ProtocolServerMessage,
  ProtocolSpeak,
  ProtocolSpeakOptions,
  ProtocolSpeakPiece,
  ProtocolWord,
} from './messages';
