/**
 * TtsClient: speaks over one WebSocket to /v1/stream, decodes each request's audio, acknowledges chunks (`ack`), and
 * when the socket drops before a request's `done`, reconnects with backoff and resumes it (`resumeFrom`).
 */
import { createDecoder, preloadOpusFallback, type ChunkDecoder, type DecoderKind } from './decoders';
import { AckBatcher, ResumeTracker, backoffDelays, type BackoffOptions } from './resume';
import { TtsError, continueMessage, parseServerMessage, speakMessage, splitAudioFrame, type TtsDoneMessage, type TtsServerMessage, type TtsSpeakParams, type TtsWord } from './wire';

/** The part of the WebSocket constructor the client uses; injectable for tests and other runtimes. */
export type WebSocketLike = Pick<WebSocket, 'send' | 'close' | 'readyState' | 'binaryType' | 'onopen' | 'onclose' | 'onerror' | 'onmessage'>;
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface TtsClientOptions {
  /** The stream URL. @default ws(s)://<location.host>/v1/stream */
  url?: string;
  /** Sent as the `token` query parameter (browsers cannot set WebSocket headers). */
  token?: string;
  /** Ask for flow control (`ack: true`) and acknowledge chunks. @default true */
  ack?: boolean;
  /** Acknowledge at most this often. @default 100 */
  ackIntervalMs?: number;
  /** Reconnect schedule, or false to fail requests when the socket drops. @default 250 ms doubling to 4 s, 6 tries */
  reconnect?: BackoffOptions | false;
  /** Where `opus-fallback.js` is. @default next to this module */
  assetBase?: string;
  /** Use the WASM Opus decoder even where WebCodecs works. @default false */
  forceWasmOpus?: boolean;
  /** @default `(url) => new WebSocket(url)` */
  webSocket?: WebSocketFactory;
  /** Asks the server why an upgrade failed (browsers hide the HTTP status of a refused WebSocket). @default fetch */
  fetch?: (url: string) => Promise<Response>;
}

export interface SpeakOptions extends TtsSpeakParams {
  onStart?(info: { format: string; sampleRate: number; decoder: ChunkDecoder }): void;
  /** Decoded mono samples at `sampleRate`, in order, with no repeats across reconnects. */
  onAudio?(samples: Float32Array, sampleRate: number): void;
  onWords?(words: TtsWord[]): void;
  /** After each binary chunk: its sequence number and size (with the 4-byte header). */
  onChunk?(seq: number, bytes: number): void;
  /** The socket dropped; `resumeFrom` is the first chunk asked for again. */
  onReconnect?(attempt: number, resumeFrom: number): void;
}

export interface SpeakStats {
  bytes: number;
  chunks: number;
  samples: number;
  sampleRate: number | null;
  decoder: DecoderKind | null;
  /** Times the request was sent again on a new socket after a drop. */
  reconnects: number;
  serverDone: TtsDoneMessage | null;
}

export interface SpeakResult {
  status: 'done' | 'cancelled';
  stats: SpeakStats;
}

export interface SpeakHandle {
  readonly stats: SpeakStats;
  /** Resolves after `done` (all audio decoded) or `cancel()`; rejects with a TtsError. */
  readonly finished: Promise<SpeakResult>;
  cancel(): void;
  /**
   * More text for a request made with `final: false`; `final` marks the last piece. The server speaks each complete
   * sentence as soon as it has it. Throws a TtsError (`bad_request`) once the text is final or the request ended.
   */
  append(text: string, final?: boolean): void;
  /** No more text: the server speaks what is left. Same as `append('', true)`. */
  end(): void;
}

interface Request {
  wireId: string;
  options: SpeakOptions;
  stats: SpeakStats;
  tracker: ResumeTracker;
  acks: AckBatcher;
  ackTimer: ReturnType<typeof setTimeout> | null;
  decoder: ChunkDecoder | null;
  /** Text appended after the first message, in order (all re-sent after a reconnect, so the server sees the same). */
  pieces: { text: string; final: boolean }[];
  /** Sent on the socket now open (false: still to send, e.g. after a reconnect). */
  sent: boolean;
  ended: boolean;
  resolve(r: SpeakResult): void;
  reject(e: TtsError): void;
}

export class TtsClient {
  private readonly url: string;
  private readonly ack: boolean;
  private readonly ackIntervalMs: number;
  private readonly delays: number[];
  private readonly assetBase: string;
  private readonly makeSocket: WebSocketFactory;
  private socket: WebSocketLike | null = null;
  private open = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 0;
  /** Unfinished requests in the order they were made (the order the server serves them). */
  private readonly pending: Request[] = [];
  /** The request whose `start` came last: binary frames belong to it. */
  private current: Request | null = null;

  constructor(private readonly options: TtsClientOptions = {}) {
    this.url = withToken(options.url ?? defaultUrl(), options.token);
    this.ack = options.ack ?? true;
    this.ackIntervalMs = options.ackIntervalMs ?? 100;
    this.delays = options.reconnect === false ? [] : backoffDelays(options.reconnect);
    this.assetBase = options.assetBase ?? new URL('./', import.meta.url).href;
    this.makeSocket = options.webSocket ?? ((url) => new WebSocket(url));
  }

  speak(options: SpeakOptions): SpeakHandle {
    let resolve!: (r: SpeakResult) => void;
    let reject!: (e: TtsError) => void;
    const finished = new Promise<SpeakResult>((res, rej) => ((resolve = res), (reject = rej)));
    const stats: SpeakStats = { bytes: 0, chunks: 0, samples: 0, sampleRate: null, decoder: null, reconnects: 0, serverDone: null };
    const req: Request = {
      wireId: '', options, stats, tracker: new ResumeTracker(), acks: new AckBatcher(this.ackIntervalMs), ackTimer: null,
      decoder: null, pieces: [], sent: false, ended: false, resolve, reject,
    };
    this.pending.push(req);
    // Where the WASM Opus decoder will be needed, fetch and compile it while the server starts synthesising.
    if (options.format === 'opus') void preloadOpusFallback(this.fallbackUrl(), this.options.forceWasmOpus ?? false);
    if (this.open) this.send(req);
    else this.connect();
    const append = (text: string, final = false): void => this.append(req, text, final);
    return { stats, finished, cancel: () => this.cancel(req), append, end: () => append('', true) };
  }

  private append(r: Request, text: string, final: boolean): void {
    const last = r.pieces.at(-1);
    const isFinal = last ? last.final : r.options.final !== false;
    if (isFinal || r.ended) throw new TtsError('bad_request', 'append: the request\'s text is already final', r.wireId || null);
    const piece = { text, final };
    r.pieces.push(piece);
    if (this.open && r.sent) this.socket?.send(continueMessage(r.wireId, r.options.voice, piece));
  }

  /** Closes the socket; unfinished requests fail with `closed`. */
  close(): void {
    for (const r of [...this.pending]) this.finish(r, new TtsError('closed', 'the client was closed', r.wireId));
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = null;
    this.open = false;
  }

  private fallbackUrl(): string {
    return new URL('opus-fallback.js', this.assetBase).href;
  }

  private connect(): void {
    if (this.socket || this.retryTimer) return;
    const ws = this.makeSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    ws.onopen = () => {
      this.open = true;
      for (const r of this.pending) this.send(r);
    };
    ws.onmessage = (ev: MessageEvent) => {
      this.attempt = 0; // the server is answering: later drops start the schedule afresh
      if (typeof ev.data === 'string') this.onText(ev.data);
      else if (ev.data instanceof ArrayBuffer) this.onBinary(ev.data);
    };
    // A failed socket fires error then close; only close acts.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (this.socket !== ws) return;
      const opened = this.open;
      this.socket = null;
      this.open = false;
      this.current = null;
      for (const r of this.pending) r.sent = false;
      // Requests past `done` (decoder draining) need nothing more from the server.
      if (!this.pending.some((r) => !r.ended)) return;
      if (opened) this.retry();
      else void this.refusal().then((e) => (e ? this.failAll(e) : this.retry()));
    };
  }

  /**
   * Why the server refused the upgrade, if it did: a plain GET of the stream URL runs the same auth and socket limits
   * (401/403/429 with a JSON error) and otherwise answers 426. A bad token then fails at once instead of after every
   * reconnect attempt. Network failures and other answers are left to the reconnect schedule.
   */
  private async refusal(): Promise<TtsError | null> {
    try {
      const res = await (this.options.fetch ?? ((u: string) => fetch(u)))(this.url.replace(/^ws/, 'http'));
      if (res.status !== 401 && res.status !== 403 && res.status !== 429) return null;
      const body = (await res.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
      const code = typeof body?.error?.code === 'string' ? body.error.code : `http_${res.status}`;
      const message = typeof body?.error?.message === 'string' ? body.error.message : `the server refused the WebSocket (HTTP ${res.status})`;
      return new TtsError(code, message, null);
    } catch {
      return null;
    }
  }

  private failAll(e: TtsError): void {
    this.attempt = 0;
    for (const r of this.pending.filter((p) => !p.ended)) this.finish(r, new TtsError(e.code, e.message, r.wireId || null));
  }

  private retry(): void {
    const delay = this.delays[this.attempt];
    if (delay === undefined) {
      const tries = this.delays.length;
      for (const r of this.pending.filter((p) => !p.ended)) this.finish(r, new TtsError('connection_failed', `the connection dropped and ${tries} reconnect attempts failed`, r.wireId));
      this.attempt = 0;
      return;
    }
    this.attempt++;
    for (const r of this.pending.filter((p) => !p.ended)) r.options.onReconnect?.(this.attempt, r.tracker.resumeFrom);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** Sends (or re-sends, resuming) a request on the open socket, under a fresh id: ids are per socket. */
  private send(r: Request): void {
    if (r.sent || r.ended || !this.socket) return;
    if (r.wireId !== '') r.stats.reconnects++;
    r.wireId = `r${this.nextId++}`;
    r.sent = true;
    this.socket.send(speakMessage(r.wireId, r.options, { ack: this.ack, resumeFrom: r.tracker.resumeFrom, wordsAfterMs: r.tracker.wordsAfterMs }));
    for (const piece of r.pieces) this.socket.send(continueMessage(r.wireId, r.options.voice, piece));
  }

  private onText(text: string): void {
    const m = parseServerMessage(text);
    if (!m || m.type === 'pong') return;
    const r = 'id' in m && m.id !== null ? this.pending.find((p) => p.wireId === m.id) : undefined;
    if (!r) return; // finished or cancelled here already, or a socket-level error with no request
    this.onRequestMessage(r, m);
  }

  private onRequestMessage(r: Request, m: TtsServerMessage): void {
    switch (m.type) {
      case 'start': {
        this.current = r;
        if (r.decoder) {
          // A resume: the same decoder continues, so it must be the same stream.
          if (m.format !== (r.options.format ?? 'pcm16') || m.sampleRate !== r.stats.sampleRate) {
            this.finish(r, new TtsError('resume_mismatch', `resumed stream is ${m.format} at ${m.sampleRate} Hz`, r.wireId));
          }
          return;
        }
        try {
          r.decoder = createDecoder(m, (s) => this.onSamples(r, s), { opusFallbackUrl: this.fallbackUrl(), forceWasm: this.options.forceWasmOpus ?? false });
        } catch (e) {
          this.finish(r, asTtsError(e, r.wireId));
          return;
        }
        r.stats.sampleRate = m.sampleRate;
        void r.decoder.kind.then((k) => (r.stats.decoder = k), () => undefined);
        r.options.onStart?.({ format: m.format, sampleRate: m.sampleRate, decoder: r.decoder });
        return;
      }
      case 'words': {
        const fresh = r.tracker.acceptWords(m.words);
        if (fresh.length > 0) r.options.onWords?.(fresh);
        return;
      }
      case 'done':
        r.stats.serverDone = m;
        r.ended = true; // no resume from here on, even if the socket drops while the decoder drains
        this.clearAck(r);
        void (r.decoder?.flush() ?? Promise.resolve()).then(
          () => this.finish(r, null),
          (e: unknown) => this.finish(r, asTtsError(e, r.wireId)),
        );
        return;
      case 'cancelled':
        this.finish(r, null, 'cancelled');
        return;
      case 'error':
        this.finish(r, new TtsError(m.code, m.message, r.wireId));
        return;
    }
  }

  private onBinary(frame: ArrayBuffer): void {
    const r = this.current;
    if (!r || r.ended) return;
    try {
      const { seq, payload } = splitAudioFrame(frame);
      if (!r.tracker.acceptChunk(seq)) return;
      r.stats.bytes += frame.byteLength;
      r.stats.chunks++;
      r.options.onChunk?.(seq, frame.byteLength);
      r.decoder?.decode(payload);
      if (this.ack) this.ackChunk(r, seq);
    } catch (e) {
      this.sendCancel(r);
      this.finish(r, asTtsError(e, r.wireId));
    }
  }

  private onSamples(r: Request, samples: Float32Array): void {
    if (r.stats.sampleRate === null) return;
    r.stats.samples += samples.length;
    r.options.onAudio?.(samples, r.stats.sampleRate);
  }

  private ackChunk(r: Request, seq: number): void {
    const now = performance.now();
    const due = r.acks.onChunk(seq, now);
    if (due !== null) return this.sendAck(r, due);
    if (r.ackTimer) return;
    r.ackTimer = setTimeout(() => {
      r.ackTimer = null;
      const s = r.acks.flush(performance.now());
      if (s !== null && !r.ended) this.sendAck(r, s);
    }, r.acks.dueInMs(now) ?? 0);
  }

  private sendAck(r: Request, seq: number): void {
    if (this.open && r.sent) this.socket?.send(JSON.stringify({ type: 'ack', id: r.wireId, seq }));
  }

  private clearAck(r: Request): void {
    if (r.ackTimer) clearTimeout(r.ackTimer);
    r.ackTimer = null;
  }

  private cancel(r: Request): void {
    if (!this.pending.includes(r)) return;
    this.sendCancel(r);
    this.finish(r, null, 'cancelled');
  }

  private sendCancel(r: Request): void {
    if (this.open && r.sent) this.socket?.send(JSON.stringify({ type: 'cancel', id: r.wireId }));
  }

  /** Ends a request once: resolves (done or cancelled) or rejects, and forgets it. */
  private finish(r: Request, error: TtsError | null, status: SpeakResult['status'] = 'done'): void {
    const i = this.pending.indexOf(r);
    if (i < 0) return;
    this.pending.splice(i, 1);
    r.ended = true;
    this.clearAck(r);
    if (error || status === 'cancelled') r.decoder?.close();
    if (error) r.reject(error);
    else r.resolve({ status, stats: r.stats });
  }
}

function asTtsError(e: unknown, id: string): TtsError {
  return e instanceof TtsError ? e : new TtsError('decode_failed', e instanceof Error ? e.message : String(e), id);
}

function defaultUrl(): string {
  if (typeof location === 'undefined') throw new TtsError('bad_options', 'TtsClient needs options.url outside a browser page');
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/v1/stream`;
}

function withToken(url: string, token: string | undefined): string {
  if (!token) return url;
  const u = new URL(url);
  u.searchParams.set('token', token);
  return u.href;
}
