/** Bearer / `token` query auth (protocol v1): on when a secret AUTH_TOKEN is configured, off (logged once) otherwise. */
import type { MiddlewareHandler } from 'hono';
import { authTokenFrom } from './config';

let loggedOff = false;

/** Constant-time string comparison (length leaks, content does not). */
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const requireAuth: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const expected = authTokenFrom(c.env);
  if (expected === undefined) {
    if (!loggedOff) {
      loggedOff = true;
      console.log('auth: off (no AUTH_TOKEN secret configured)');
    }
    return next();
  }
  const header = c.req.header('Authorization');
  const given = header?.startsWith('Bearer ') ? header.slice(7) : (c.req.query('token') ?? '');
  if (!sameToken(given, expected)) return c.json({ error: { message: 'missing or bad token', code: 'unauthorized' } }, 401);
  return next();
};
