/**
 * Auth for everything but `/`, `/healthz` and `/client/*` (protocol v1): `Authorization: Bearer <token>` or, for
 * browsers, the `token` query parameter. With the secret AUTH_SECRET set (`wrangler secret put AUTH_SECRET`) a token is
 * a signed, short-lived `v1.<payload>.<sig>` (src/auth; mint with `npm run token`), living at most
 * MAX_TOKEN_LIFETIME_SECONDS (default 24 h). The older shared AUTH_TOKEN secret is still accepted as one static token
 * without scopes. Secure by default: auth is off only with the var AUTH_DISABLED = "true" (local development; callers
 * are then anonymous, one subject per client address, and never get `voices:write`); with no secret and no such var
 * every /v1 request gets 503 `server_misconfigured`. Failures are 401 (403 for a missing scope) before any WebSocket
 * upgrade; the token itself is never logged.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { DEFAULT_MAX_TOKEN_LIFETIME_S, originAllowed, parseOriginList, timingSafeEqual, verifyToken, type AuthFailure } from '../auth';
import { authTokenFrom } from './config';

/** Who is calling: limits are kept per `sub`. */
export interface HttpAuth {
  sub: string;
  scopes: string[];
  /** `token`: a signed token; `static`: the shared AUTH_TOKEN; `off`: AUTH_DISABLED (anonymous). */
  mode: 'token' | 'static' | 'off';
}

// The caller lives on the request's context, not on the Request object: body limits replace `c.req.raw` (a chunked
// body gets a new Request), and a lookup keyed on it would miss and change the limit subject.
declare module 'hono' {
  interface ContextVariableMap {
    auth: HttpAuth;
  }
}

type Bindings = { Bindings: Env };
type AuthEnv = Env & { AUTH_SECRET?: unknown; AUTH_DISABLED?: unknown; ALLOWED_ORIGINS?: unknown; MAX_TOKEN_LIFETIME_SECONDS?: unknown };

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

/** True only for the explicit local-development switch `AUTH_DISABLED = "true"`. */
export function authDisabled(env: Env): boolean {
  return (env as AuthEnv).AUTH_DISABLED === 'true';
}

/** Longest accepted token lifetime (exp - now), seconds. */
export function maxTokenLifetimeFrom(env: Env): number {
  const raw = (env as AuthEnv).MAX_TOKEN_LIFETIME_SECONDS;
  const n = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_TOKEN_LIFETIME_S;
}

/**
 * The caller of a request that passed `requireAuth`. A route reached without it is a wiring bug: it gets no scopes
 * and a subject of its own, never another caller's limits.
 */
export function authOf(c: Context): HttpAuth {
  return c.get('auth') ?? { sub: 'unauthenticated', scopes: [], mode: 'off' };
}

function anonymous(c: Context): HttpAuth {
  return { sub: `ip:${c.req.header('CF-Connecting-IP') ?? 'local'}`, scopes: [], mode: 'off' };
}

function unauthorized(c: Context, reason: AuthFailure, maxLifetimeS: number): Response {
  const message =
    reason === 'missing'
      ? 'missing token'
      : reason === 'expired'
        ? 'token expired'
        : reason === 'bad_signature'
          ? 'bad token signature'
          : reason === 'lifetime'
            ? `token lifetime exceeds the ${maxLifetimeS} s this deployment accepts; mint a shorter-lived one`
            : 'malformed token';
  c.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${reason === 'lifetime' ? 'token lifetime too long' : message}"`);
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
    if (!authDisabled(c.env)) {
      logOnce('misconfigured', 'auth: no AUTH_SECRET (or AUTH_TOKEN) secret and AUTH_DISABLED is not "true"; refusing every /v1 request with 503');
      return c.json(
        {
          error: {
            message: 'the server has no auth secret configured: set the AUTH_SECRET secret (wrangler secret put AUTH_SECRET), or AUTH_DISABLED = "true" for local development only',
            code: 'server_misconfigured',
          },
        },
        503,
      );
    }
    logOnce('off', 'auth: OFF (AUTH_DISABLED = "true", local development); /v1 endpoints are open to anonymous callers, voice writes excepted');
    c.set('auth', anonymous(c));
    return next();
  }
  logOnce('on', `auth: on (${secret ? 'signed tokens, AUTH_SECRET' : ''}${secret && shared ? ' + ' : ''}${shared ? 'static AUTH_TOKEN' : ''})`);
  const maxLifetimeS = maxTokenLifetimeFrom(c.env);
  const token = givenToken(c);
  if (token === undefined || token === '') return unauthorized(c, 'missing', maxLifetimeS);
  const enc = new TextEncoder();
  if (shared !== undefined && timingSafeEqual(enc.encode(token), enc.encode(shared))) {
    c.set('auth', { sub: 'static', scopes: [], mode: 'static' });
    return next();
  }
  if (secret === undefined) return unauthorized(c, 'bad_signature', maxLifetimeS);
  const r = await verifyToken(secret, token, Date.now(), maxLifetimeS);
  if (!r.ok) return unauthorized(c, r.reason, maxLifetimeS);
  c.set('auth', { sub: r.claims.sub, scopes: r.claims.scopes, mode: 'token' });
  return next();
};

/** 403 unless the caller's token grants `scope`; anonymous callers (AUTH_DISABLED) and the static token never do. */
export function requireScope(scope: string): MiddlewareHandler<Bindings> {
  return async (c, next) => {
    const who = authOf(c);
    if (!who.scopes.includes(scope)) {
      const message =
        who.mode === 'off'
          ? `auth is disabled (AUTH_DISABLED), so no caller has the "${scope}" scope; set AUTH_SECRET and use a token with it`
          : `this token lacks the "${scope}" scope`;
      return c.json({ error: { message, code: 'insufficient_scope' } }, 403);
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
