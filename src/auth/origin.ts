/** Origin allow-list for browser WebSocket upgrades. Pure. */

/** Parses `ALLOWED_ORIGINS` ("https://a.example, https://b.example"); empty means no check. */
export function parseOriginList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, '').toLowerCase())
    .filter((s) => s !== '');
}

/**
 * Whether a request with this `Origin` header may upgrade. No list: any. No Origin header: allowed (not a browser;
 * browsers always send Origin on WebSocket upgrades, so a page on another site cannot drop it). `*` in the list
 * allows any origin.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0 || origin === undefined) return true;
  const o = origin.trim().replace(/\/+$/, '').toLowerCase();
  return allowed.includes('*') || allowed.includes(o);
}
