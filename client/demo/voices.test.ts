import { describe, expect, it } from 'vitest';
import { fetchVoices } from './voices';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe('fetchVoices', () => {
  it('sends the token as a bearer header; reads voices, and aliases of listed voices with their rate', async () => {
    let seen: RequestInit | undefined;
    const r = await fetchVoices(async (url, init) => {
      expect(url).toBe('/v1/voices');
      seen = init;
      return json({
        voices: [{ id: 'joe', name: 'Joe', language: 'en-US', sampleRate: 22050 }, { id: 'bare' }, { name: 'no id' }, null],
        aliases: [{ id: 'alloy', voice: 'joe' }, { id: 'ghost', voice: 'not-listed' }, { voice: 'joe' }, 'x'],
      });
    }, 'tok');
    expect(seen?.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(r).toEqual({
      ok: true,
      voices: [
        { id: 'joe', name: 'Joe', language: 'en-US', sampleRate: 22050, aliasOf: null },
        { id: 'bare', name: 'bare', language: '', sampleRate: 0, aliasOf: null },
      ],
      aliases: [{ id: 'alloy', name: 'alloy', language: 'en-US', sampleRate: 22050, aliasOf: 'joe' }],
    });
  });

  it('no token: no header; a 401 keeps the server\'s code and message', async () => {
    let seen: RequestInit | undefined;
    const r = await fetchVoices(async (_u, init) => ((seen = init), json({ error: { code: 'unauthorized', message: 'missing token' } }, 401)), '');
    expect(seen?.headers).toEqual({});
    expect(r).toEqual({ ok: false, status: 401, code: 'unauthorized', message: 'missing token' });
  });

  it('a network failure or a body that is not JSON is still a typed refusal', async () => {
    expect(await fetchVoices(async () => Promise.reject(new TypeError('Failed to fetch')), '')).toEqual({ ok: false, status: 0, code: 'network', message: 'Failed to fetch' });
    expect(await fetchVoices(async () => new Response('oops', { status: 500 }), '')).toEqual({ ok: false, status: 500, code: 'http_500', message: 'HTTP 500' });
  });
});
