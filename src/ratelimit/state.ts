/**
 * Per-subject limiter state (pure, clock injected): open sockets as leases, and synthesised audio seconds in a
 * sliding window kept as one bucket per second. Lives inside the RateLimiter Durable Object; unit-tested in Node.
 */

export interface RateSnapshot {
  /** Socket id → lease expiry (ms since the epoch). */
  sockets: Record<string, number>;
  /** Second (ms since the epoch / 1000, floored) → audio seconds charged in it. */
  usage: Record<string, number>;
}

export interface RateSocketResult {
  ok: boolean;
  /** Open sockets of the subject after the call. */
  active: number;
}

export interface RateBudgetResult {
  ok: boolean;
  /** Audio seconds charged in the window. */
  usedSeconds: number;
  /** When `ok` is false: how long until enough of the window has passed to be under the limit again. */
  retryAfterMs: number;
}

export class RateState {
  constructor(private readonly snap: RateSnapshot = { sockets: {}, usage: {} }) {}

  snapshot(): RateSnapshot {
    return this.snap;
  }

  private pruneSockets(now: number): void {
    for (const [id, until] of Object.entries(this.snap.sockets)) if (until <= now) delete this.snap.sockets[id];
  }

  private pruneUsage(now: number, windowMs: number): void {
    const oldest = Math.floor((now - windowMs) / 1000);
    for (const sec of Object.keys(this.snap.usage)) if (Number(sec) <= oldest) delete this.snap.usage[sec];
  }

  /** Opens (or renews) a socket lease unless `max` sockets are already open. */
  acquireSocket(socketId: string, max: number, leaseMs: number, now: number): RateSocketResult {
    this.pruneSockets(now);
    const known = socketId in this.snap.sockets;
    const active = Object.keys(this.snap.sockets).length;
    if (!known && active >= max) return { ok: false, active };
    this.snap.sockets[socketId] = now + leaseMs;
    return { ok: true, active: known ? active : active + 1 };
  }

  releaseSocket(socketId: string): void {
    delete this.snap.sockets[socketId];
  }

  /** Whether more audio may be synthesised now (used < limit). */
  check(limitSeconds: number, windowMs: number, now: number): RateBudgetResult {
    this.pruneUsage(now, windowMs);
    const entries = Object.entries(this.snap.usage)
      .map(([sec, s]) => [Number(sec), s] as const)
      .sort((a, b) => a[0] - b[0]);
    let used = entries.reduce((s, [, v]) => s + v, 0);
    if (used < limitSeconds) return { ok: true, usedSeconds: used, retryAfterMs: 0 };
    // Under the limit again once the oldest buckets have left the window.
    const total = used;
    let retryAfterMs = windowMs;
    for (const [sec, v] of entries) {
      used -= v;
      if (used < limitSeconds) {
        retryAfterMs = Math.max(0, (sec + 1) * 1000 + windowMs - now);
        break;
      }
    }
    return { ok: false, usedSeconds: total, retryAfterMs };
  }

  /** Adds synthesised audio seconds; returns the state after the charge. */
  charge(seconds: number, limitSeconds: number, windowMs: number, now: number): RateBudgetResult {
    if (Number.isFinite(seconds) && seconds > 0) {
      const sec = String(Math.floor(now / 1000));
      this.snap.usage[sec] = (this.snap.usage[sec] ?? 0) + seconds;
    }
    return this.check(limitSeconds, windowMs, now);
  }
}
