/**
 * @module
 * Edge TTS worker: the Hono app (default export = wrangler main).
 */
import { createApp } from './http';

export default createApp();
// Durable Object class behind the RATE_LIMITER binding (per-token limits across isolates).
export { RateLimiter } from './ratelimit';
