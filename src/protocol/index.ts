/**
 * @module
 * Protocol v1: client/server message types, parsing, serialization, binary audio framing. Pure.
 */
export { encodeAudioFrame, parseClientMessage, serializeServerMessage } from './parse';
export type { ProtocolParseResult } from './parse';
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
  ProtocolWord,
} from './messages';
