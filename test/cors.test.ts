import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http';

// CORS on /v1/*: browser apps on other origins can call the API and read its errors (the client module reads a
// refused upgrade's 401 to fail at once). ALLOWED_ORIGINS narrows the origins.
const app = createApp();
const secured = { ...env, AUTH_SECRET: 'cors-secret' } as Env;
const from = (origin: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { Origin: origin, ...(init.headers ?? {}) } });

describe('CORS on /v1/*', () => {
  it('answers a preflight for an authorised POST without needing a token', async () => {
    const res = await app.request(
      '/v1/audio/speech',
      from('https://app.example', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' } }),
      secured,
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization');
  });

  it('lets a page on another origin read a 401 (a refused upgrade, asked again with a plain GET)', async () => {
    const res = await app.request('/v1/stream?token=wrong', from('https://app.example'), secured);
    expect(res.status).toBe(401);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('with ALLOWED_ORIGINS, allows only those origins', async () => {
    const narrowed = { ...env, ALLOWED_ORIGINS: 'https://app.example' } as unknown as Env;
    const ok = await app.request('/v1/voices', from('https://app.example'), narrowed);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    const other = await app.request('/v1/voices', from('https://evil.example'), narrowed);
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
