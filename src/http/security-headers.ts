/**
 * Security headers for the routes a browser renders or runs: the demo page (`/`) and the client module files
 * (`/client/*`). The page's policy allows only its own scripts and styles (the demo has no inline script or style),
 * WebSockets and fetches to its own host, and no framing.
 */

/**
 * `'wasm-unsafe-eval'` lets the page compile the WASM Opus decoder (opus-fallback.js) for browsers without WebCodecs
 * Opus; it allows WebAssembly only, not `eval`. `blob:` media is the downloaded WAV; `data:` images the empty favicon.
 */
function pagePolicy(host: string | null): string {
  // 'self' covers ws/wss of the same host in current browsers; the explicit sources cover older ones.
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every HTML or JavaScript response carries besides its policy. */
const COMMON = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

/** A host as it may appear in a CSP source (name or IP, optional port); anything else is left out of the policy. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** Headers for the demo page served at `url` (its host becomes the WebSocket source). */
export function pageSecurityHeaders(url: string): Record<string, string> {
  const host = new URL(url).host;
  return { ...COMMON, 'Content-Security-Policy': pagePolicy(HOST.test(host) ? host : null) };
}

/**
 * Headers for the client module files. A script runs under the policy of the page that loads it, so this policy
 * only stops the file being rendered or framed as a document of its own.
 */
export const SCRIPT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};
