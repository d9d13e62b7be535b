/**
 * @module
 * Rate limiting across isolates: the RateLimiter Durable Object (one per token subject) and its pure state.
 */
export { RateLimiter } from './durable';
export { AudioPacer } from './pacer';
export { RateState } from './state';
export type { RateBudgetResult, RateLeaseKind, RateReserveResult, RateSnapshot, RateSocketResult } from './state';
