/**
 * Per-token limits kept in the RateLimiter Durable Object (src/ratelimit), one instance per token subject: open
 * sockets, running HTTP syntheses, and synthesised audio seconds per minute, reserved per acoustic run before its
 * first audio leaves. When the binding is missing or the object cannot be reached, the same limits are kept in this
 * isolate's memory instead (per isolate, so a client spread over many isolates gets more), logged at most once a
 * minute: a limiter outage neither takes speech down nor lifts the limits.
 */
import { AudioPacer, RateState, type RateLimiter } from '../ratelimit';
import { StreamRequestError, type StreamMeter, type StreamSynthesizer } from '../stream';

export interface TokenLimits {
  /** Open WebSockets per token subject before the upgrade gets 429 `too_many_sockets`. @default 10 */
  maxSockets: number;
  /** `POST /v1/audio/speech` requests synthesising at once per token subject before 429 `too_many_requests`. @default 4 */
  maxConcurrentSpeech: number;
  /** Audio seconds synthesised per token subject per minute before `rate_limited`. @default 300 */
  audioSecondsPerMinute: number;
  /** How long a socket's or request's slot is held without a renewal (a crashed isolate cannot lock a token out). @default 600000 */
  socketLeaseMs: number;
  /** Audio a socket may synthesise ahead of real-time playback (bounds what a client that never reads makes the isolate buffer). @default 60000 */
  audioLeadMs: number;
}

const WINDOW_MS = 60_000;
type LimitsEnv = Env & {
  RATE_LIMITER?: DurableObjectNamespace<RateLimiter>;
  MAX_SOCKETS_PER_TOKEN?: unknown;
  MAX_CONCURRENT_SPEECH?: unknown;
  AUDIO_SECONDS_PER_MINUTE?: unknown;
  AUDIO_LEAD_SECONDS?: unknown;
};

function positive(v: unknown, fallback: number): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function tokenLimitsFrom(env: Env): TokenLimits {
  const e = env as LimitsEnv;
  return {
    maxSockets: Math.floor(positive(e.MAX_SOCKETS_PER_TOKEN, 10)),
    maxConcurrentSpeech: Math.floor(positive(e.MAX_CONCURRENT_SPEECH, 4)),
    audioSecondsPerMinute: positive(e.AUDIO_SECONDS_PER_MINUTE, 300),
    socketLeaseMs: 600_000,
    audioLeadMs: positive(e.AUDIO_LEAD_SECONDS, 60) * 1000,
  };
}

/** Isolate-local limiter state per subject, used while the Durable Object is unreachable. Bounded (oldest dropped). */
const LOCAL_SUBJECTS = 10_000;
const local = new Map<string, RateState>();

function localState(sub: string): RateState {
  let s = local.get(sub);
  if (s) local.delete(sub);
  else s = new RateState();
  local.set(sub, s);
  if (local.size > LOCAL_SUBJECTS) local.delete(local.keys().next().value!);
  return s;
}

let fallbackLoggedAt = 0;

/** At most one line a minute per isolate: during an outage every request would fail over here. */
function logFallback(line: string): void {
  if (Date.now() - fallbackLoggedAt < 60_000) return;
  fallbackLoggedAt = Date.now();
  console.error(`limits: ${line}; using isolate-local limits (same numbers, counted per isolate)`);
}

/** One caller's view of its limiter; a socket or a speech request holds one. */
export class TokenBudget {
  private readonly stub: DurableObjectStub<RateLimiter> | undefined;
  private readonly leaseId = crypto.randomUUID();
  private exhausted: { retryAfterMs: number } | undefined;
  /** Set once this budget holds a socket: sockets are paced, HTTP bodies have backpressure of their own. */
  private pacer: AudioPacer | undefined;
  private closed = false;
  /** The latest granted reservation, and whether the isolate-local state granted it (refunds go back there). */
  private reserved: { seconds: number; at: number; local: boolean } | undefined;

  constructor(
    env: Env,
    readonly sub: string,
    readonly limits: TokenLimits = tokenLimitsFrom(env),
  ) {
    const ns = (env as LimitsEnv).RATE_LIMITER;
    this.stub = ns?.get(ns.idFromName(sub));
  }

  /** Runs `remote` on the subject's Durable Object, or `fallback` on the isolate-local state when it cannot. */
  private async call<T>(what: string, remote: (stub: DurableObjectStub<RateLimiter>) => Promise<T>, fallback: (s: RateState, now: number) => T): Promise<{ value: T; local: boolean }> {
    if (!this.stub) {
      logFallback('no RATE_LIMITER Durable Object binding');
    } else {
      try {
        return { value: await remote(this.stub), local: false };
      } catch (err) {
        logFallback(`${what} failed (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return { value: fallback(localState(this.sub), Date.now()), local: true };
  }

  /** Takes a socket slot; false when the subject already has `maxSockets` open. */
  async acquireSocket(): Promise<{ ok: boolean; active: number }> {
    this.pacer = new AudioPacer(this.limits.audioLeadMs);
    const { maxSockets, socketLeaseMs } = this.limits;
    const id = this.leaseId;
    return (await this.call('acquire', (s) => s.acquire('sockets', id, maxSockets, socketLeaseMs), (s, now) => s.acquire('sockets', id, maxSockets, socketLeaseMs, now))).value;
  }

  /** Renews the socket's lease (each request does, so busy sockets never lose their slot). */
  renewSocket(): void {
    this.renew('sockets');
  }

  private renew(kind: 'sockets' | 'speech'): void {
    const { socketLeaseMs } = this.limits;
    const id = this.leaseId;
    const max = Number.MAX_SAFE_INTEGER;
    void this.call('renew', (s) => s.acquire(kind, id, max, socketLeaseMs), (s, now) => s.acquire(kind, id, max, socketLeaseMs, now));
  }

  /** Frees the socket's slot. The caller must keep the returned promise alive (waitUntil) past the socket's close. */
  releaseSocket(): Promise<unknown> {
    this.closed = true;
    const id = this.leaseId;
    return this.call('release', (s) => s.release('sockets', id), (s) => s.release('sockets', id));
  }

  /** Takes one of the subject's `maxConcurrentSpeech` HTTP synthesis slots; false when all are taken. */
  async acquireSpeech(): Promise<boolean> {
    const { maxConcurrentSpeech, socketLeaseMs } = this.limits;
    const id = this.leaseId;
    const r = await this.call('acquire', (s) => s.acquire('speech', id, maxConcurrentSpeech, socketLeaseMs), (s, now) => s.acquire('speech', id, maxConcurrentSpeech, socketLeaseMs, now));
    return r.value.ok;
  }

  /** Frees the HTTP synthesis slot (keep the promise alive with waitUntil when the response has already gone). */
  releaseSpeech(): Promise<unknown> {
    const id = this.leaseId;
    return this.call('release', (s) => s.release('speech', id), (s) => s.release('speech', id));
  }

  private refuse(retryAfterMs: number): StreamRequestError {
    return new StreamRequestError(
      'rate_limited',
      `more than ${this.limits.audioSecondsPerMinute} s of audio per minute for this token; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
    );
  }

  /** Before a request starts: throws `rate_limited` when the subject's minute is used up. */
  async admit(): Promise<void> {
    const limit = this.limits.audioSecondsPerMinute;
    const { value: r } = await this.call('check', (s) => s.check(limit, WINDOW_MS), (s, now) => s.check(limit, WINDOW_MS, now));
    this.exhausted = r.ok ? undefined : { retryAfterMs: r.retryAfterMs };
    if (this.exhausted) throw this.refuse(this.exhausted.retryAfterMs);
  }

  /** Audio synthesised but not sent (a resumed request's skipped chunks) does not count towards the pacing lead. */
  unpace(ms: number): void {
    this.pacer?.remove(ms);
  }

  /** Seconds until the subject may synthesise again (0 when it may now). */
  get retryAfterMs(): number {
    return this.exhausted?.retryAfterMs ?? 0;
  }

  /**
   * The synthesizer with this budget's limits applied per acoustic run and per vocoder window (StreamMeter).
   * `paced: false` (a socket request with `ack: true`) skips the socket's lead over real time and does not count
   * towards it: the client's acknowledgements pace that request. The audio budget applies either way.
   */
  meter(synth: StreamSynthesizer, { paced = true }: { paced?: boolean } = {}): StreamSynthesizer {
    return { ...synth, meter: this.streamMeter(paced ? this.pacer : undefined) };
  }

  private streamMeter(pacer: AudioPacer | undefined): StreamMeter {
    const limit = this.limits.audioSecondsPerMinute;
    return {
      reserve: async (seconds) => {
        this.renew(this.pacer ? 'sockets' : 'speech');
        const { value: r, local: isLocal } = await this.call(
          'reserve',
          (s) => s.reserve(seconds, limit, WINDOW_MS),
          (s, now) => s.reserve(seconds, limit, WINDOW_MS, now),
        );
        if (!r.ok) {
          this.exhausted = { retryAfterMs: r.retryAfterMs };
          throw this.refuse(r.retryAfterMs);
        }
        this.reserved = { seconds, at: r.at, local: isLocal };
      },
      beforeWindow: async () => {
        for (let w = pacer?.waitMs() ?? 0; w > 0 && !this.closed; w = pacer?.waitMs() ?? 0) {
          await new Promise((r) => setTimeout(r, Math.min(w, 250)));
        }
        // The socket went away while paced: stop here (the closed session sends nothing more).
        if (this.closed) throw new StreamRequestError('internal', 'socket closed');
      },
      produced: (seconds) => {
        pacer?.add(seconds * 1000);
        if (this.reserved) this.reserved.seconds = Math.max(0, this.reserved.seconds - seconds);
      },
      release: (seconds) => {
        const r = this.reserved;
        this.reserved = undefined;
        const back = Math.min(seconds, r?.seconds ?? 0);
        if (!r || back <= 0) return;
        if (r.local) localState(this.sub).refund(back, r.at);
        else void this.call('refund', (s) => s.refund(back, r.at), (s) => s.refund(back, r.at));
      },
    };
  }
}
