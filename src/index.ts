/**
 * @module
 * Edge TTS worker: the Hono app (default export = wrangler main).
 */
import { createApp, startModels } from './http';

// The model sessions are created while the isolate starts, not inside its first request (see startModels).
await startModels();

export default createApp();
// Durable Object class behind the RATE_LIMITER binding (per-token limits across isolates).
export { RateLimiter } from './ratelimit';
