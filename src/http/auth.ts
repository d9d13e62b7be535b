/**
 * Auth for everything but `/` and `/healthz` (protocol v1): `Authorization: Bearer <token>` or, for browsers, the
 * `token` query parameter. With the secret AUTH_SECRET set (`wrangler secret put AUTH_SECRET`) a token is a signed,
 * short-lived `v1.<payload>.<sig>` (src/auth; mint with `npm run token`). The older shared AUTH_TOKEN secret is still
 * accepted as one static token without scopes. With neither, auth is off and the isolate says so once in its log.
 * Failures are 401 (403 for a missing scope) before any WebSocket upgrade; the token itself is never logged.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { originAllowed, parseOriginList, timingSafeEqual, verifyToken, type AuthFailure } from '../auth';
import { authTokenFrom } from './config';

/** Who is calling: limits are kept per `sub`. */
export interface HttpAuth {
  sub: string;
  scopes: string[];
  /** `token`: a signed token; `static`: the shared AUTH_TOKEN; `off`: no secret configured. */
  mode: 'token' | 'static' | 'off';
}

type Bindings = { Bindings: Env };
type AuthEnv = Env & { AUTH_SECRET?: unknown; ALLOWED_ORIGINS?: unknown };

const authByRequest = new WeakMap<Request, HttpAuth>();
const logged = new Set<string>();

function logOnce(key: string, line: string): void {
  if (logged.has(key)) return;
  logged.add(key);
  console.log(line);
}

/** The signing secret, or undefined. */
export function authSecretFrom(env: Env): string | undefined {
  const s = (env as AuthEnv).AUTH_SECRET;
  return typeof s === 'string' && s !== '' ? s : undefined;
}

/** The caller of a request that passed `requireAuth` (auth off: one subject per client address). */
export function authOf(c: Context): HttpAuth {
  return authByRequest.get(c.req.raw) ?? anonymous(c);
}

function anonymous(c: Context): HttpAuth {
  return { sub: `ip:${c.req.header('CF-Connecting-IP') ?? 'local'}`, scopes: ['voices:write'], mode: 'off' };
}

function unauthorized(c: Context, reason: AuthFailure): Response {
  const message = reason === 'missing' ? 'missing token' : reason === 'expired' ? 'token expired' : reason === 'bad_signature' ? 'bad token signature' : 'malformed token';
  c.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${message}"`);
  return c.json({ error: { message, code: 'unauthorized', reason } }, 401);
}

function givenToken(c: Context): string | undefined {
  const header = c.req.header('Authorization');
  if (header !== undefined) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  return c.req.query('token');
}

export const requireAuth: MiddlewareHandler<Bindings> = async (c, next) => {
  const secret = authSecretFrom(c.env);
  const shared = authTokenFrom(c.env);
  if (secret === undefined && shared === undefined) {
    logOnce('off', 'auth: OFF (no AUTH_SECRET or AUTH_TOKEN secret configured); every /v1 endpoint is open, voice writes included');
    return next();
  }
  logOnce('on', `auth: on (${secret ? 'signed tokens, AUTH_SECRET' : ''}${secret && shared ? ' + ' : ''}${shared ? 'static AUTH_TOKEN' : ''})`);
  const token = givenToken(c);
  if (token === undefined || token === '') return unauthorized(c, 'missing');
  const enc = new TextEncoder();
  if (shared !== undefined && timingSafeEqual(enc.encode(token), enc.encode(shared))) {
    authByRequest.set(c.req.raw, { sub: 'static', scopes: [], mode: 'static' });
    return next();
  }
  if (secret === undefined) return unauthorized(c, 'bad_signature');
  const r = await verifyToken(secret, token);
  if (!r.ok) return unauthorized(c, r.reason);
  authByRequest.set(c.req.raw, { sub: r.claims.sub, scopes: r.claims.scopes, mode: 'token' });
  return next();
};

/** 403 unless the caller's token grants `scope` (auth off: allowed). */
export function requireScope(scope: string): MiddlewareHandler<Bindings> {
  return async (c, next) => {
    const who = authOf(c);
    if (who.mode !== 'off' && !who.scopes.includes(scope)) {
      return c.json({ error: { message: `this token lacks the "${scope}" scope`, code: 'insufficient_scope' } }, 403);
    }
    return next();
  };
}

/** ALLOWED_ORIGINS as a list (empty: any origin); read by the WebSocket origin check and by CORS. */
export function allowedOrigins(env: Env): string[] {
  const raw = (env as AuthEnv).ALLOWED_ORIGINS;
  return parseOriginList(typeof raw === 'string' ? raw : undefined);
}

/** 403 for a browser WebSocket upgrade from an origin not in ALLOWED_ORIGINS (when that var is set). */
export const checkOrigin: MiddlewareHandler<Bindings> = async (c, next) => {
  const allowed = allowedOrigins(c.env);
  if (c.req.header('Upgrade')?.toLowerCase() === 'websocket' && !originAllowed(c.req.header('Origin'), allowed)) {
    return c.json({ error: { message: 'origin not allowed', code: 'forbidden_origin' } }, 403);
  }
  return next();
};
