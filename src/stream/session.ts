/**
 * One WebSocket session of protocol v1: parses client frames, queues speak requests and serves them in order one at a
 * time, handles cancel and ping, and frames audio. Transport, models, voices and text front end are injected, so
 * this file never touches a socket or env.
 */
import { OPUS_BITRATES, OPUS_DECODE_RATE, OPUS_FRAME_MS, OPUS_INPUT_RATE } from '../audio/opus/constants';
import {
  echo,
  openSpeak,
  parseClientMessage,
  pieceMismatch,
  type ProtocolAck,
  type ProtocolError,
  type ProtocolServerMessage,
  type ProtocolSpeak,
  type ProtocolSpeakPiece,
} from '../protocol';
import type { TextChunk } from '../text';
import { OpusChunkEncoder, PcmChunkEncoder, type ChunkEncoder, type OpusPacketEncoder } from './encoders';
import { ChunkSender } from './chunk-sender';
import { StreamRequestError } from './errors';
import { checkResumeFrom } from './resume-bound';
import { synthesizeStream, type StreamPhonemized, type StreamSynthesizer } from './synthesize';
import { WordSender } from './word-sender';
import { writtenText } from './written-words';

export { StreamRequestError } from './errors';

export interface StreamSessionLimits {
  /** Longest text per request (all pieces of an incremental request together). @default 5000 */
  maxTextChars: number;
  /** Requests waiting behind the current one before `busy`. @default 16 */
  maxQueued: number;
  /** Speak requests per socket per minute before `rate_limited`. @default 120 */
  requestsPerMinute: number;
  /** With `ack: true`, audio sent but not acknowledged before the request waits. @default 10000 */
  ackWindowMs: number;
  /** With `ack: true`, how long a full window may wait for an acknowledgement before `slow_consumer`. @default 15000 */
  slowConsumerMs: number;
}

export interface StreamSessionDeps {
  sendText(text: string): void;
  sendBinary(frame: Uint8Array): void;
  /** Embedding for a voice id or blend; throws StreamRequestError (unknown_voice, bad_request, internal). */
  resolveVoice(spec: string): Promise<Float32Array>;
  /**
   * The model runtime (loaded once per isolate). `paced`: whether the request is held to the socket's lead over
   * real time; a request with `ack: true` is not, its acknowledgement window paces it instead (docs/protocol.md).
   */
  synthesizer(opts: { paced: boolean }): Promise<StreamSynthesizer>;
  planChunks(text: string): TextChunk[];
  createChunker(): { push(text: string, final: boolean): TextChunk[] };
  phonemize(chunk: TextChunk): StreamPhonemized;
  /** A libopus encoder for `format: "opus"` (absent: Opus requests get `unsupported_format`). */
  opusEncoder?: (bitrate: number) => OpusPacketEncoder;
  /** Audio a paced resumed request made but did not send (so pacing counts only what the client gets). */
  skippedAudio?: (ms: number) => void;
  limits: StreamSessionLimits;
  now?: () => number;
  log?: (message: string) => void;
}

interface PendingRequest {
  speak: ProtocolSpeak;
  receivedAt: number;
  texts: string[];
  /** Everything received for the request (word spans index into it). */
  allText: string;
  final: boolean;
  textChars: number;
  cancelled: boolean;
  /** Wakes the request when it waits for more text or for an acknowledgement (never both at once). */
  wake: (() => void) | undefined;
  /** Highest chunk seq the client acknowledged (`ack: true` requests). */
  acked: number;
}

/**
 * Ids remembered per socket to refuse a reused one. Bounded so a long-lived socket's memory does not grow with
 * every request it ever made (ids are at most MAX_ID_CHARS, so this is at most ~256 KB).
 */
const REMEMBERED_IDS = 1024;

export class StreamSession {
  private readonly queue: PendingRequest[] = [];
  private current: PendingRequest | undefined;
  /** Ids of accepted requests, oldest first (a Set keeps insertion order). */
  private readonly usedIds = new Set<string>();
  private readonly recent: number[] = [];
  private pumping = false;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly deps: StreamSessionDeps) {
    this.now = deps.now ?? (() => Date.now());
  }

  /** Feeds one client frame. */
  onMessage(data: string | ArrayBuffer): void {
    const parsed = parseClientMessage(data);
    if (!parsed.ok) {
      // A bad continuation of an incremental request ends that request. Anything else naming an id already in use
      // (a duplicate) must not touch that request, so it is reported with id null.
      const { id, code, message } = parsed.error;
      const open = id === null ? undefined : this.findOpen(id);
      if (open && !open.final) this.endWithError(open, code, message);
      else this.send({ type: 'error', id: id !== null && this.usedIds.has(id) ? null : id, code, message });
      return;
    }
    const msg = parsed.message;
    if (msg.type === 'ping') {
      this.send(msg.t === undefined ? { type: 'pong' } : { type: 'pong', t: msg.t });
    } else if (msg.type === 'cancel') {
      this.cancel(msg.id);
    } else if (msg.type === 'ack') {
      this.ack(msg);
    } else {
      this.speak(msg);
    }
  }

  /** The socket closed: stop work, send nothing more. */
  close(): void {
    this.closed = true;
    for (const r of [...this.queue, ...(this.current ? [this.current] : [])]) {
      r.cancelled = true;
      r.wake?.();
    }
    this.queue.length = 0;
  }

  private send(message: ProtocolServerMessage): void {
    if (!this.closed) this.deps.sendText(JSON.stringify(message));
  }

  private findOpen(id: string): PendingRequest | undefined {
    if (this.current?.speak.id === id) return this.current;
    return this.queue.find((r) => r.speak.id === id);
  }

  private endWithError(req: PendingRequest, code: ProtocolError['code'], message: string): void {
    const queued = this.queue.indexOf(req);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.send({ type: 'error', id: req.speak.id, code, message });
      return;
    }
    // The running request reports the error itself when it stops.
    req.cancelled = true;
    this.failCurrent = { code, message };
    req.wake?.();
  }

  private failCurrent: { code: ProtocolError['code']; message: string } | undefined;

  private cancel(id: string): void {
    const req = this.findOpen(id);
    if (!req) {
      this.send({ type: 'error', id: null, code: 'bad_request', message: `cancel: no open request "${echo(id)}"` });
      return;
    }
    const queued = this.queue.indexOf(req);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.send({ type: 'cancelled', id });
      return;
    }
    req.cancelled = true;
    req.wake?.();
  }

  /** Acknowledgements race with `done`, so one for a request that is not running is ignored. */
  private ack(msg: ProtocolAck): void {
    const req = this.current;
    if (req?.speak.id !== msg.id || msg.seq <= req.acked) return;
    req.acked = msg.seq;
    req.wake?.();
  }

  private speak(msg: ProtocolSpeakPiece): void {
    const open = this.findOpen(msg.id);
    if (open) {
      if (open.final) {
        this.send({ type: 'error', id: null, code: 'bad_request', message: `request "${echo(msg.id)}" is already complete; ids are unique per socket` });
        return;
      }
      // More text for an incremental request; its options were fixed by the first piece.
      const mismatch = pieceMismatch(open.speak, msg);
      if (mismatch) {
        this.endWithError(open, 'bad_request', mismatch);
        return;
      }
      open.textChars += msg.text.length;
      if (open.textChars > this.deps.limits.maxTextChars) {
        this.endWithError(open, 'text_too_long', `text exceeds ${this.deps.limits.maxTextChars} characters`);
        return;
      }
      open.texts.push(msg.text);
      open.allText += msg.text;
      open.final = msg.final;
      open.wake?.();
      return;
    }
    if (this.usedIds.has(msg.id)) {
      this.send({ type: 'error', id: null, code: 'bad_request', message: `id "${echo(msg.id)}" was already used on this socket` });
      return;
    }
    const opened = openSpeak(msg);
    if (!opened.ok) {
      this.send({ type: 'error', ...opened.error });
      return;
    }
    // Nothing of a refused request is kept (its id may be used again): only an accepted one is remembered.
    const now = this.now();
    while (this.recent.length > 0 && now - this.recent[0]! > 60_000) this.recent.shift();
    if (this.recent.length >= this.deps.limits.requestsPerMinute) {
      this.send({ type: 'error', id: msg.id, code: 'rate_limited', message: `more than ${this.deps.limits.requestsPerMinute} requests per minute` });
      return;
    }
    this.recent.push(now);
    if (this.queue.length >= this.deps.limits.maxQueued) {
      this.send({ type: 'error', id: msg.id, code: 'busy', message: `${this.queue.length} requests are already waiting on this socket` });
      return;
    }
    if (msg.text.length > this.deps.limits.maxTextChars) {
      this.send({ type: 'error', id: msg.id, code: 'text_too_long', message: `text exceeds ${this.deps.limits.maxTextChars} characters` });
      return;
    }
    this.remember(msg.id);
    this.queue.push({ speak: opened.speak, receivedAt: now, texts: [msg.text], allText: msg.text, final: msg.final, textChars: msg.text.length, cancelled: false, wake: undefined, acked: -1 });
    void this.pump();
  }

  private remember(id: string): void {
    this.usedIds.add(id);
    if (this.usedIds.size > REMEMBERED_IDS) this.usedIds.delete(this.usedIds.values().next().value!);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const req = this.queue.shift()!;
        this.current = req;
        this.failCurrent = undefined;
        await this.run(req);
        this.current = undefined;
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Text chunks of a request as they become available (incremental requests wait for more text, calling `waiting`
   * first: nothing more of what was spoken so far is coming until the client sends more).
   */
  private async *chunksOf(req: PendingRequest, waiting: () => void): AsyncGenerator<TextChunk> {
    if (req.final && req.texts.length === 1) {
      yield* this.deps.planChunks(req.texts[0]!);
      return;
    }
    const chunker = this.deps.createChunker();
    for (;;) {
      while (req.texts.length > 0) {
        const text = req.texts.shift()!;
        const last = req.final && req.texts.length === 0;
        yield* chunker.push(text, last);
        if (last) return;
      }
      if (req.cancelled) return;
      if (req.final) {
        yield* chunker.push('', true);
        return;
      }
      waiting();
      await new Promise<void>((resolve) => (req.wake = resolve));
      req.wake = undefined;
    }
  }

  private async run(req: PendingRequest): Promise<void> {
    const { id, resumeFrom } = req.speak;
    let encoder: ChunkEncoder | undefined;
    try {
      // Voice lookup (KV on a cache miss) and model load (first request of the isolate) overlap.
      const [voice, synth] = await Promise.all([this.deps.resolveVoice(req.speak.voice), this.deps.synthesizer({ paced: !req.speak.ack })]);
      if (req.cancelled) return this.finishStopped(req);
      // Skipped chunks are synthesised again: refuse a resume point past what the text can produce (whole text only).
      if (resumeFrom > 0 && req.final && req.texts.length === 1) {
        await checkResumeFrom(synth, this.deps.planChunks(req.texts[0]!), resumeFrom, { voice, speed: req.speak.speed, chunkMs: req.speak.chunkMs, phonemize: this.deps.phonemize });
        if (req.cancelled) return this.finishStopped(req);
      }
      const opened = this.openEncoder(req.speak, synth.sampleRate);
      encoder = opened.encoder;
      this.send({ type: 'start', id, ...opened.start, channels: 1, ...(resumeFrom > 0 ? { resumeFrom } : {}) });
      const out = new ChunkSender(req, this.deps.limits, () => this.now(), {
        write: (frame) => {
          if (!this.closed) this.deps.sendBinary(frame);
        },
        // Only paced audio counts towards the lead, so only it is taken back.
        skipped: (ms) => {
          if (!req.speak.ack) this.deps.skippedAudio?.(ms);
        },
      });
      // Timings per written token ("$3.50" once, not per spoken word), each sent after its audio.
      const read = (start: number, end: number): string => req.allText.slice(start, end);
      const words = new WordSender(out, req.speak, read, (list) => this.send({ type: 'words', id, words: list }));
      const stream = synthesizeStream(synth, this.chunksOf(req, () => words.tokenEnded()), {
        voice,
        speed: req.speak.speed,
        phonemize: this.deps.phonemize,
        wordText: (start, end) => writtenText(read(start, end)),
        isCancelled: () => req.cancelled,
      });
      for await (const piece of stream) {
        if (req.cancelled) break;
        words.add(piece.words);
        await out.send(encoder.push(piece.samples));
        words.sendReady();
      }
      if (req.cancelled) return this.finishStopped(req);
      await out.send(encoder.flush());
      words.finish();
      const total = this.now() - req.receivedAt;
      const firstAudioMs = out.firstSentAt === undefined ? total : out.firstSentAt - req.receivedAt;
      this.send({ type: 'done', id, chunks: out.chunks, audioMs: Math.round(out.audioMs), firstAudioMs: Math.max(0, firstAudioMs), totalMs: total });
    } catch (err) {
      if (req.cancelled) return this.finishStopped(req);
      const code = err instanceof StreamRequestError ? err.code : 'internal';
      const message = err instanceof Error ? err.message : String(err);
      // Internals (ORT's messages, stacks) stay in the log, at most one line a minute, never in the reply.
      if (code === 'internal' && !(err instanceof StreamRequestError)) logInternal(this.deps.log, `request failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
      this.send({ type: 'error', id, code, message: code === 'internal' && !(err instanceof StreamRequestError) ? 'internal error' : message });
    } finally {
      encoder?.free();
    }
  }

  /** The request's encoder and what its `start` says about the format. */
  private openEncoder(speak: ProtocolSpeak, modelRate: number): { encoder: ChunkEncoder; start: Pick<StartMessage, 'format' | 'sampleRate' | 'opus'> } {
    if (speak.format === 'pcm16') {
      const rate = speak.sampleRate ?? modelRate;
      return { encoder: new PcmChunkEncoder(modelRate, rate, speak.chunkMs), start: { format: 'pcm16', sampleRate: rate } };
    }
    if (!this.deps.opusEncoder) throw new StreamRequestError('unsupported_format', 'this deployment has no Opus encoder');
    const packets = this.deps.opusEncoder(speak.bitrate ?? OPUS_BITRATES.default);
    const opus = { frameMs: OPUS_FRAME_MS, inputRate: OPUS_INPUT_RATE, bitrate: packets.bitrate, preSkip: packets.preSkip };
    return { encoder: new OpusChunkEncoder(packets, modelRate, speak.chunkMs), start: { format: 'opus', sampleRate: OPUS_DECODE_RATE, opus } };
  }

  /** A stopped request ends with `cancelled`, or with the error that stopped it. */
  private finishStopped(req: PendingRequest): void {
    const fail = this.failCurrent;
    this.failCurrent = undefined;
    if (fail) this.send({ type: 'error', id: req.speak.id, code: fail.code, message: fail.message });
    else this.send({ type: 'cancelled', id: req.speak.id });
  }
}

let internalLoggedAt = 0;

function logInternal(log: ((message: string) => void) | undefined, line: string): void {
  if (!log || Date.now() - internalLoggedAt < 60_000) return;
  internalLoggedAt = Date.now();
  log(line);
}

type StartMessage = Extract<ProtocolServerMessage, { type: 'start' }>;
