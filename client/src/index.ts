/**
 * @module
 * The browser client of the edge TTS service (served as `/client/tts-client.js`): TtsClient streams speech over
 * /v1/stream with automatic reconnect and resume, AudioPlayer plays it through an AudioWorklet jitter queue, and
 * speakAndPlay joins the two with live figures (first-sound time, bitrate, underruns).
 */
export { TtsClient } from './client';
export type { SpeakHandle, SpeakOptions, SpeakResult, SpeakStats, TtsClientOptions, WebSocketFactory, WebSocketLike } from './client';
export { webCodecsOpusSupported } from './decoders';
export type { ChunkDecoder, DecoderKind } from './decoders';
export { AudioPlayer, Playback } from './player';
export type { AudioPlayerOptions, PlaybackStats } from './player';
export { PlaybackQueue } from './queue';
export type { PlaybackQueueOptions, PlaybackQueueStats, PlaybackState } from './queue';
export { backoffDelays } from './resume';
export type { BackoffOptions } from './resume';
export { speakAndPlay } from './session';
export type { SpeakAndPlay, SpeakAndPlayOptions, SpeakAndPlayStats } from './session';
export { TtsError } from './wire';
export type { TtsDoneMessage, TtsFormat, TtsSpeakParams, TtsStartMessage, TtsWord } from './wire';
