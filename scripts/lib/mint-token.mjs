// Mints a worker token in Node: `v1.<base64url payload>.<base64url HMAC-SHA-256>`, the format src/auth/token.ts
// verifies (its unit test checks that tokens from `npm run token` pass).
import { createHmac } from 'node:crypto';

/**
 * @param {string} secret the deployment's AUTH_SECRET
 * @param {{ sub: string, ttlSeconds: number, scopes?: string[], now?: number }} claims now: ms since the epoch
 * @returns {string}
 */
export function mintToken(secret, { sub, ttlSeconds, scopes = [], now = Date.now() }) {
  const payload = { sub, exp: Math.floor(now / 1000) + ttlSeconds };
  if (scopes.length > 0) payload.scp = scopes;
  const body = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
