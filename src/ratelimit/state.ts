/**
 * Per-subject limiter state (pure, clock injected): leases (open sockets, running HTTP syntheses), and synthesised
 * audio seconds in a sliding window kept as one bucket per second. Lives inside the RateLimiter Durable Object, and
 * in isolate memory as the fallback when that object cannot be reached (src/http/limits.ts); unit-tested in Node.
 */

/** What a lease counts: open WebSockets, or `POST /v1/audio/speech` requests still synthesising. */
export type RateLeaseKind = 'sockets' | 'speech';

export interface RateSnapshot {
  /** Socket id → lease expiry (ms since the epoch). */
  sockets: Record<string, number>;
  /** Speech request id → lease expiry (absent in state saved before speech requests were counted). */
  speech?: Record<string, number>;
  /** Second (ms since the epoch / 1000, floored) → audio seconds charged in it. */
  usage: Record<string, number>;
}

export interface RateSocketResult {
  ok: boolean;
  /** Open leases of that kind after the call. */
  active: number;
}

export interface RateBudgetResult {
  ok: boolean;
  /** Audio seconds charged in the window. */
  usedSeconds: number;
  /** When `ok` is false: how long until enough of the window has passed for the request to fit. */
  retryAfterMs: number;
}

export interface RateReserveResult extends RateBudgetResult {
  /** The bucket the reservation went into (pass it back to `refund`). */
  at: number;
}

export class RateState {
  constructor(private readonly snap: RateSnapshot = { sockets: {}, usage: {} }) {}

  snapshot(): RateSnapshot {
    return this.snap;
  }

  private leases(kind: RateLeaseKind): Record<string, number> {
    if (kind === 'sockets') return this.snap.sockets;
    return (this.snap.speech ??= {});
  }

  private pruneLeases(leases: Record<string, number>, now: number): void {
    for (const [id, until] of Object.entries(leases)) if (until <= now) delete leases[id];
  }

  private pruneUsage(now: number, windowMs: number): [number, number][] {
    const oldest = Math.floor((now - windowMs) / 1000);
    for (const sec of Object.keys(this.snap.usage)) if (Number(sec) <= oldest) delete this.snap.usage[sec];
    return Object.entries(this.snap.usage)
      .map(([sec, s]): [number, number] => [Number(sec), s])
      .sort((a, b) => a[0] - b[0]);
  }

  /** Opens (or renews) a lease unless `max` of that kind are already open. */
  acquire(kind: RateLeaseKind, id: string, max: number, leaseMs: number, now: number): RateSocketResult {
    const leases = this.leases(kind);
    this.pruneLeases(leases, now);
    const known = id in leases;
    const active = Object.keys(leases).length;
    if (!known && active >= max) return { ok: false, active };
    leases[id] = now + leaseMs;
    return { ok: true, active: known ? active : active + 1 };
  }

  release(kind: RateLeaseKind, id: string): void {
    delete this.leases(kind)[id];
  }

  /** Whether more audio may be synthesised now (used < limit). */
  check(limitSeconds: number, windowMs: number, now: number): RateBudgetResult {
    return this.fits(0, limitSeconds, windowMs, now);
  }

  /**
   * Reserves `seconds` of audio if they fit (used + seconds <= limit), all or nothing: concurrent requests of one
   * subject can never together go past the limit.
   */
  reserve(seconds: number, limitSeconds: number, windowMs: number, now: number): RateReserveResult {
    const at = Math.floor(now / 1000);
    const need = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
    const r = need > 0 ? this.fits(need, limitSeconds, windowMs, now) : this.check(limitSeconds, windowMs, now);
    if (r.ok && need > 0) {
      this.snap.usage[at] = (this.snap.usage[at] ?? 0) + need;
      return { ...r, usedSeconds: r.usedSeconds + need, at };
    }
    return { ...r, at };
  }

  /** Gives back reserved audio that was never made (the request stopped early). */
  refund(seconds: number, at: number): void {
    const left = (this.snap.usage[at] ?? 0) - (Number.isFinite(seconds) && seconds > 0 ? seconds : 0);
    if (left > 1e-9) this.snap.usage[at] = left;
    else delete this.snap.usage[at];
  }

  /** Whether `need` more seconds fit under the limit (need 0: whether any audio may start, used < limit). */
  private fits(need: number, limitSeconds: number, windowMs: number, now: number): RateBudgetResult {
    const entries = this.pruneUsage(now, windowMs);
    const total = entries.reduce((s, [, v]) => s + v, 0);
    const ok = (used: number): boolean => (need > 0 ? used + need <= limitSeconds : used < limitSeconds);
    if (ok(total)) return { ok: true, usedSeconds: total, retryAfterMs: 0 };
    // It fits once the oldest buckets have left the window (never, for a request larger than the limit: a window).
    let used = total;
    let retryAfterMs = windowMs;
    for (const [sec, v] of entries) {
      used -= v;
      if (ok(used)) {
        retryAfterMs = Math.max(0, (sec + 1) * 1000 + windowMs - now);
        break;
      }
    }
    return { ok: false, usedSeconds: total, retryAfterMs };
  }
}
