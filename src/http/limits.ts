/**
 * Per-token limits kept in the RateLimiter Durable Object (src/ratelimit), one instance per token subject:
 * concurrent sockets, and synthesised audio seconds per minute. When the binding is missing or the object cannot be
 * reached the limits fail open (logged): a limiter outage must not take speech down with it.
 */
import { AudioPacer, type RateLimiter } from '../ratelimit';
import { StreamRequestError, type StreamSynthesizer } from '../stream';

export interface TokenLimits {
  /** Open WebSockets per token subject before the upgrade gets 429 `too_many_sockets`. @default 10 */
  maxSockets: number;
  /** Audio seconds synthesised per token subject per minute before `rate_limited`. @default 300 */
  audioSecondsPerMinute: number;
  /** How long a socket's slot is held without a renewal (a crashed isolate cannot lock a token out). @default 600000 */
  socketLeaseMs: number;
  /** Audio a socket may synthesise ahead of real-time playback (bounds what a client that never reads makes the isolate buffer). @default 60000 */
  audioLeadMs: number;
}

const WINDOW_MS = 60_000;
type LimitsEnv = Env & { RATE_LIMITER?: DurableObjectNamespace<RateLimiter>; MAX_SOCKETS_PER_TOKEN?: unknown; AUDIO_SECONDS_PER_MINUTE?: unknown; AUDIO_LEAD_SECONDS?: unknown };

function positive(v: unknown, fallback: number): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function tokenLimitsFrom(env: Env): TokenLimits {
  const e = env as LimitsEnv;
  return {
    maxSockets: Math.floor(positive(e.MAX_SOCKETS_PER_TOKEN, 10)),
    audioSecondsPerMinute: positive(e.AUDIO_SECONDS_PER_MINUTE, 300),
    socketLeaseMs: 600_000,
    audioLeadMs: positive(e.AUDIO_LEAD_SECONDS, 60) * 1000,
  };
}

let warnedMissing = false;
let failLoggedAt = 0;

/** One caller's view of its limiter; a socket or a speech request holds one. */
export class TokenBudget {
  private readonly stub: DurableObjectStub<RateLimiter> | undefined;
  private readonly socketId = crypto.randomUUID();
  private exhausted: { retryAfterMs: number } | undefined;
  private pending: Promise<unknown> = Promise.resolve();
  /** Set once this budget holds a socket: sockets are paced, HTTP bodies have backpressure of their own. */
  private pacer: AudioPacer | undefined;
  private closed = false;

  constructor(
    env: Env,
    readonly sub: string,
    readonly limits: TokenLimits = tokenLimitsFrom(env),
  ) {
    const ns = (env as LimitsEnv).RATE_LIMITER;
    if (!ns && !warnedMissing) {
      warnedMissing = true;
      console.log('limits: no RATE_LIMITER Durable Object binding; per-token socket and audio limits are off');
    }
    this.stub = ns?.get(ns.idFromName(sub));
  }

  private async call<T>(what: string, f: (stub: DurableObjectStub<RateLimiter>) => Promise<T>): Promise<T | undefined> {
    if (!this.stub) return undefined;
    try {
      return await f(this.stub);
    } catch (err) {
      // At most one line a minute per isolate: during an outage every model run would fail here.
      if (Date.now() - failLoggedAt > 60_000) {
        failLoggedAt = Date.now();
        console.error(`limits: ${what} failed (failing open): ${err instanceof Error ? err.message : String(err)}`);
      }
      return undefined;
    }
  }

  /** Takes a socket slot; false when the subject already has `maxSockets` open. */
  async acquireSocket(): Promise<{ ok: boolean; active: number }> {
    this.pacer = new AudioPacer(this.limits.audioLeadMs);
    const r = await this.call('acquireSocket', (s) => s.acquireSocket(this.socketId, this.limits.maxSockets, this.limits.socketLeaseMs));
    return r ?? { ok: true, active: 0 };
  }

  /** Renews the socket's lease (each request does, so busy sockets never lose their slot). */
  renewSocket(): void {
    void this.call('renewSocket', (s) => s.acquireSocket(this.socketId, Number.MAX_SAFE_INTEGER, this.limits.socketLeaseMs));
  }

  /** Frees the socket's slot. The caller must keep the returned promise alive (waitUntil) past the socket's close. */
  releaseSocket(): Promise<unknown> {
    this.closed = true;
    return this.call('releaseSocket', (s) => s.releaseSocket(this.socketId));
  }

  private refuse(retryAfterMs: number): StreamRequestError {
    return new StreamRequestError(
      'rate_limited',
      `more than ${this.limits.audioSecondsPerMinute} s of audio per minute for this token; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
    );
  }

  /** Before a request starts: throws `rate_limited` when the subject's minute is used up. */
  async admit(): Promise<void> {
    const r = await this.call('check', (s) => s.check(this.limits.audioSecondsPerMinute, WINDOW_MS));
    this.exhausted = r && !r.ok ? { retryAfterMs: r.retryAfterMs } : undefined;
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
   * The synthesizer with metering: every acoustic run charges its audio to the subject, and the next run of a request
   * that went over the budget ends it with `rate_limited`. Charges are sent without waiting (the next chunk's check
   * waits for them), so metering adds no latency to the first audio.
   */
  meter(synth: StreamSynthesizer): StreamSynthesizer {
    return {
      ...synth,
      acoustic: async (ids, voice, lengthScale) => {
        await this.pending;
        if (this.exhausted) throw this.refuse(this.exhausted.retryAfterMs);
        for (let w = this.pacer?.waitMs() ?? 0; w > 0 && !this.closed; w = this.pacer?.waitMs() ?? 0) {
          await new Promise((r) => setTimeout(r, Math.min(w, 250)));
        }
        // The socket went away while paced: stop here (the closed session sends nothing more).
        if (this.closed) throw new StreamRequestError('internal', 'socket closed');
        const out = await synth.acoustic(ids, voice, lengthScale);
        const seconds = (out.frames * synth.hop) / synth.sampleRate;
        this.pacer?.add(seconds * 1000);
        this.pending = this.call('charge', (s) => s.charge(seconds, this.limits.audioSecondsPerMinute, WINDOW_MS)).then((r) => {
          if (r && !r.ok) this.exhausted = { retryAfterMs: r.retryAfterMs };
        });
        return out;
      },
    };
  }
}
