/**
 * @module
 * Auth: signed short-lived tokens (HMAC-SHA-256, Web Crypto), scopes, origin allow-list, log redaction. Pure.
 */
export { base64UrlDecode, base64UrlEncode, DEFAULT_MAX_TOKEN_LIFETIME_S, hasScope, signToken, timingSafeEqual, verifyToken } from './token';
export type { AuthClaims, AuthFailure, AuthVerifyResult } from './token';
export { originAllowed, parseOriginList } from './origin';
export { redactSecrets, redactUrl } from './redact';
