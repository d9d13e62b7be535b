/**
 * The RateLimiter Durable Object: one instance per subject (token `sub`), so sockets, running HTTP syntheses and audio
 * seconds are counted across every isolate and colo that serves the subject. Per-isolate memory would not hold: each
 * isolate would see only its own share, and a client spreading requests over isolates would get the limit many times
 * over (isolate memory is only the outage fallback, src/http/limits.ts).
 */
import { DurableObject } from 'cloudflare:workers';
import { RateState, type RateBudgetResult, type RateLeaseKind, type RateReserveResult, type RateSnapshot, type RateSocketResult } from './state';

export class RateLimiter extends DurableObject<Env> {
  private state = new RateState();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // State survives eviction (socket leases may outlive an idle DO); loaded before the first call runs.
    void ctx.blockConcurrencyWhile(async () => {
      const saved = await ctx.storage.get<RateSnapshot>('state');
      if (saved) this.state = new RateState(saved);
    });
  }

  private save(): void {
    void this.ctx.storage.put('state', this.state.snapshot());
  }

  acquire(kind: RateLeaseKind, id: string, max: number, leaseMs: number): RateSocketResult {
    const r = this.state.acquire(kind, id, max, leaseMs, Date.now());
    this.save();
    return r;
  }

  release(kind: RateLeaseKind, id: string): void {
    this.state.release(kind, id);
    this.save();
  }

  check(limitSeconds: number, windowMs: number): RateBudgetResult {
    return this.state.check(limitSeconds, windowMs, Date.now());
  }

  reserve(seconds: number, limitSeconds: number, windowMs: number): RateReserveResult {
    const r = this.state.reserve(seconds, limitSeconds, windowMs, Date.now());
    this.save();
    return r;
  }

  refund(seconds: number, at: number): void {
    this.state.refund(seconds, at);
    this.save();
  }
}
