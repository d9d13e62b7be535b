/** Keeps tokens out of logs: the `token` query parameter and Bearer values are replaced before anything is logged. */

/** `https://h/v1/stream?token=abc&x=1` → `https://h/v1/stream?token=REDACTED&x=1`. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token)=)[^&#\s"']*/gi, '$1REDACTED');
}

/** Redacts tokens anywhere in a log line (URLs, `Bearer …`, bare `v1.x.y` tokens). */
export function redactSecrets(text: string): string {
  return redactUrl(text)
    .replace(/(Bearer\s+)[^\s"',]+/gi, '$1REDACTED')
    .replace(/\bv1\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g, 'REDACTED');
}
