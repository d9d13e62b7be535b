/**
 * Short-lived signed tokens: `v1.<payload>.<signature>`, both parts base64url. The payload is JSON
 * `{"sub","exp","scp"?}` (exp in seconds since the epoch, scp a list of scopes such as `voices:write`); the signature
 * is HMAC-SHA-256 over `v1.<payload>` with the deployment's secret. Web Crypto only, so it runs in workerd and Node.
 */

/** The claims a verified token carries. */
export interface AuthClaims {
  /** Who the token was minted for (an app or user id); limits are kept per subject. */
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Granted scopes (e.g. `voices:write`). @default [] */
  scopes: string[];
}

/** Why a token was refused. */
/** `lifetime`: the token expires further ahead than the deployment's maximum token lifetime allows. */
export type AuthFailure = 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'lifetime';

export type AuthVerifyResult = { ok: true; claims: AuthClaims } | { ok: false; reason: AuthFailure };

const PREFIX = 'v1';
const SUB = /^[A-Za-z0-9_.:@-]{1,128}$/;
const SCOPE = /^[a-z]+:[a-z]+$/;
/** Longest token accepted before any crypto runs (bounds work on junk input). */
const MAX_TOKEN_CHARS = 2048;
/** Longest accepted lifetime (exp - now) unless the caller says otherwise: a day. */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 86_400;

const encoder = new TextEncoder();

export function base64UrlEncode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    // Canonical form only: atob ignores stray low bits in the last character, so one token would have many spellings.
    return base64UrlEncode(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Constant-time byte comparison: the time depends on the length only, never on where the bytes differ. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key for a secret (imported once per isolate and secret). */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.clear(); // one secret per deployment; never grow
    keys.set(secret, key);
  }
  return key;
}

async function sign(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(data)));
}

/** Mints a token (used by tests; `npm run token` does the same in Node). */
export async function signToken(secret: string, claims: { sub: string; exp: number; scopes?: string[] }): Promise<string> {
  const payload: Record<string, unknown> = { sub: claims.sub, exp: claims.exp };
  if (claims.scopes && claims.scopes.length > 0) payload.scp = claims.scopes;
  const body = `${PREFIX}.${base64UrlEncode(encoder.encode(JSON.stringify(payload)))}`;
  return `${body}.${base64UrlEncode(await sign(secret, body))}`;
}

function parseClaims(bytes: Uint8Array): AuthClaims | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.sub !== 'string' || !SUB.test(o.sub)) return undefined;
  if (typeof o.exp !== 'number' || !Number.isInteger(o.exp) || o.exp <= 0) return undefined;
  const scp = o.scp ?? [];
  if (!Array.isArray(scp) || scp.length > 16 || !scp.every((s): s is string => typeof s === 'string' && SCOPE.test(s))) return undefined;
  return { sub: o.sub, exp: o.exp, scopes: scp };
}

/**
 * Verifies a token: signature first (constant time), then expiry. `nowMs` is injectable for tests.
 * A token is accepted while `now < exp`, and only if `exp` is at most `maxLifetimeS` ahead (tokens carry no issue
 * time, so a leaked token with `exp: 1e300` would otherwise never die).
 */
export async function verifyToken(
  secret: string,
  token: string | undefined,
  nowMs = Date.now(),
  maxLifetimeS = DEFAULT_MAX_TOKEN_LIFETIME_S,
): Promise<AuthVerifyResult> {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, reason: 'malformed' };
  const given = base64UrlDecode(parts[2]!);
  const payload = base64UrlDecode(parts[1]!);
  if (!given || !payload) return { ok: false, reason: 'malformed' };
  const expected = await sign(secret, `${parts[0]}.${parts[1]}`);
  if (!timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (nowMs >= claims.exp * 1000) return { ok: false, reason: 'expired' };
  if (claims.exp * 1000 - nowMs > maxLifetimeS * 1000) return { ok: false, reason: 'lifetime' };
  return { ok: true, claims };
}

/** True when the claims grant `scope`. */
export function hasScope(claims: AuthClaims, scope: string): boolean {
  return claims.scopes.includes(scope);
}
