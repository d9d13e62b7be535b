/**
 * The RateLimiter Durable Object: one instance per subject (token `sub`), so sockets and audio seconds are counted
 * across every isolate and colo that serves the subject. Per-isolate memory would not hold: each isolate would see
 * only its own share, and a client spreading sockets over isolates would get the limit many times over.
 */
import { DurableObject } from 'cloudflare:workers';
import { RateState, type RateBudgetResult, type RateSnapshot, type RateSocketResult } from './state';

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

  acquireSocket(socketId: string, max: number, leaseMs: number): RateSocketResult {
    const r = this.state.acquireSocket(socketId, max, leaseMs, Date.now());
    this.save();
    return r;
  }

  releaseSocket(socketId: string): void {
    this.state.releaseSocket(socketId);
    this.save();
  }

  check(limitSeconds: number, windowMs: number): RateBudgetResult {
    return this.state.check(limitSeconds, windowMs, Date.now());
  }

  charge(seconds: number, limitSeconds: number, windowMs: number): RateBudgetResult {
    const r = this.state.charge(seconds, limitSeconds, windowMs, Date.now());
    this.save();
    return r;
  }
}
