import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signToken } from '../src/auth';
import { createApp } from '../src/http';
import { authHeaders } from './helpers';

// Signed tokens, scopes, origin allow-list and voice writes, against the real app with a secret configured.
const SECRET = 'hardening-secret';
const app = createApp();
const secured = { ...env, AUTH_SECRET: SECRET } as Env;
const now = (): number => Math.floor(Date.now() / 1000);
const token = (sub: string, ttl = 60, scopes: string[] = []): Promise<string> => signToken(SECRET, { sub, exp: now() + ttl, scopes });
const bearer = (t: string): RequestInit => ({ headers: { Authorization: `Bearer ${t}` } });

afterEach(() => vi.restoreAllMocks());

describe('signed tokens (AUTH_SECRET configured)', () => {
  it.each([
    { name: 'missing', init: {}, reason: 'missing' },
    { name: 'empty Bearer', init: { headers: { Authorization: 'Bearer ' } }, reason: 'missing' },
    { name: 'garbage', init: bearer('not-a-token'), reason: 'malformed' },
  ])('401 for a $name token', async ({ init, reason }) => {
    const res = await app.request('/v1/voices', init, secured);
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', reason } });
  });

  it('401 for an expired token', async () => {
    const t = await signToken(SECRET, { sub: 'app1', exp: now() - 1 });
    const res = await app.request('/v1/voices', bearer(t), secured);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { reason: 'expired' } });
  });

  it('401 for a bad signature (another secret, or a tampered payload)', async () => {
    const other = await signToken('another-secret', { sub: 'app1', exp: now() + 60 });
    expect(await (await app.request('/v1/voices', bearer(other), secured)).json()).toMatchObject({ error: { reason: 'bad_signature' } });
    const [v, , sig] = (await token('app1')).split('.');
    const forged = btoa(JSON.stringify({ sub: 'admin', exp: now() + 3600, scp: ['voices:write'] })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const res = await app.request('/v1/voices', bearer(`${v}.${forged}.${sig}`), secured);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { reason: 'bad_signature' } });
  });

  it('refuses the WebSocket upgrade with 401, before any upgrade', async () => {
    const res = await app.request('/v1/stream', { headers: { Upgrade: 'websocket' } }, secured);
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
    const expired = await signToken(SECRET, { sub: 'app1', exp: now() - 5 });
    expect((await app.request(`/v1/stream?token=${expired}`, { headers: { Upgrade: 'websocket' } }, secured)).status).toBe(401);
  });

  it('accepts a valid token as Bearer header or token query parameter (browsers)', async () => {
    const t = await token('app1');
    expect((await app.request('/v1/voices', bearer(t), secured)).status).toBe(200);
    expect((await app.request(`/v1/voices?token=${t}`, {}, secured)).status).toBe(200);
    const ws = await app.request(`/v1/stream?token=${t}`, { headers: { Upgrade: 'websocket' } }, secured);
    expect(ws.status).toBe(101);
    ws.webSocket?.accept();
    ws.webSocket?.close();
  });

  it('never writes the token to the log', async () => {
    const lines: string[] = [];
    for (const m of ['log', 'error', 'warn', 'info'] as const) vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
    const good = await token('logcheck');
    const bad = `${good.slice(0, -4)}AAAA`;
    await app.request(`/v1/voices?token=${good}`, {}, secured);
    await app.request(`/v1/voices?token=${bad}`, {}, secured);
    await app.request('/v1/voices', bearer(bad), secured);
    await app.request(`/v1/audio/speech?token=${good}`, { method: 'POST', body: '{"input":' }, secured);
    for (const line of lines) {
      expect(line).not.toContain(good);
      expect(line).not.toContain(bad);
    }
  });

  it('keeps / and /healthz open', async () => {
    expect((await app.request('/', {}, secured)).status).toBe(200);
    expect((await app.request('/healthz', {}, secured)).status).toBe(200);
  });
});

describe('origin allow-list for browser upgrades', () => {
  const withOrigins = { ...env, ALLOWED_ORIGINS: 'https://app.example, https://other.example' } as unknown as Env;
  const upgrade = async (origin?: string): Promise<Response> =>
    app.request('/v1/stream', { headers: { Upgrade: 'websocket', ...(await authHeaders('origins')), ...(origin ? { Origin: origin } : {}) } }, withOrigins);

  it('403 for an origin not in the list', async () => {
    const res = await upgrade('https://evil.example');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('upgrades for a listed origin and for clients that send no Origin', async () => {
    for (const origin of ['https://app.example', undefined]) {
      const res = await upgrade(origin);
      expect(res.status).toBe(101);
      res.webSocket?.accept();
      res.webSocket?.close();
    }
  });
});

describe('voice management (PUT/DELETE /v1/voices/:id, scope voices:write)', () => {
  let dim = 0;
  const put = async (id: string, body: unknown, t: string): Promise<Response> =>
    app.request(`/v1/voices/${id}`, { method: 'PUT', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, secured);
  const del = async (id: string, t: string): Promise<Response> => app.request(`/v1/voices/${id}`, { method: 'DELETE', ...bearer(t) }, secured);
  const unitEmbedding = (d: number): number[] => Array.from({ length: d }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(d));

  it('403 insufficient_scope without voices:write; 401 without a token', async () => {
    const health = (await (await app.request('/healthz', {}, secured)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const reader = await token('reader');
    const res = await put('ann', { name: 'Ann', language: 'en-US', embedding: [] }, reader);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'insufficient_scope' } });
    expect((await del('ann', reader)).status).toBe(403);
    expect((await app.request('/v1/voices/ann', { method: 'PUT', body: '{}' }, secured)).status).toBe(401);
  });

  it('PUT validates the embedding and metadata', async () => {
    const writer = await token('writer', 60, ['voices:write']);
    // Learn the model's voiceDim from the size error.
    const probe = await put('ann', { name: 'Ann', language: 'en-US', embedding: [1] }, writer);
    expect(probe.status).toBe(400);
    const m = /expected (\d+)/.exec(((await probe.json()) as { error: { message: string } }).error.message);
    dim = Number(m?.[1]);
    expect(dim).toBeGreaterThan(1);
    const bad = [
      { body: { name: 'Ann', language: 'en-US', embedding: unitEmbedding(dim).map(() => 0) }, field: 'embedding' },
      { body: { name: 'Ann', language: 'en-US', embedding: unitEmbedding(dim).map((x) => x * 100) }, field: 'embedding' },
      { body: { name: 'Ann', language: 'English', embedding: unitEmbedding(dim) }, field: 'language' },
      { body: { name: 'Ann', language: 'en-US', embedding: unitEmbedding(dim), extra: 1 }, field: 'extra' },
    ];
    for (const { body, field } of bad) {
      const res = await put('ann', body, writer);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request', field } });
    }
    const notJson = await app.request('/v1/voices/ann', { method: 'PUT', headers: { Authorization: `Bearer ${writer}` }, body: '{nope' }, secured);
    expect(notJson.status).toBe(400);
    const big = await app.request('/v1/voices/ann', { method: 'PUT', headers: { Authorization: `Bearer ${writer}` }, body: ' '.repeat(70_000) }, secured);
    expect(big.status).toBe(413);
    expect((await put('.hidden', { name: 'x', language: 'en', embedding: unitEmbedding(dim) }, writer)).status).toBe(400);
  });

  it('PUT creates, lists, serves and replaces; DELETE removes; bundled voices cannot be deleted', async () => {
    const writer = await token('writer', 60, ['voices:write']);
    const body = { name: 'Ann', language: 'en-GB', description: 'test voice', license: 'CC0-1.0', embedding: unitEmbedding(dim) };
    const created = await put('hardening-ann', body, writer);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ voice: { id: 'hardening-ann', name: 'Ann', language: 'en-GB', sampleRate: 22050 } });
    expect((await put('hardening-ann', { ...body, name: 'Ann 2' }, writer)).status).toBe(200);
    const list = (await (await app.request('/v1/voices', bearer(writer), secured)).json()) as { voices: { id: string; name: string }[] };
    expect(list.voices.find((v) => v.id === 'hardening-ann')).toMatchObject({ name: 'Ann 2' });
    const speech = await app.request(
      '/v1/audio/speech',
      { method: 'POST', headers: { Authorization: `Bearer ${writer}` }, body: JSON.stringify({ input: 'Hi.', voice: 'hardening-ann', response_format: 'pcm' }) },
      secured,
    );
    expect(speech.status).toBe(200);
    expect((await speech.arrayBuffer()).byteLength).toBeGreaterThan(0);

    expect((await del('hardening-ann', writer)).status).toBe(204);
    expect((await del('hardening-ann', writer)).status).toBe(404);
    const after = (await (await app.request('/v1/voices', bearer(writer), secured)).json()) as { voices: { id: string }[] };
    expect(after.voices.map((v) => v.id)).not.toContain('hardening-ann');
    const bundledId = after.voices[0]!.id;
    const res = await del(bundledId, writer);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'bundled_voice' } });
  });
});

describe('secure by default', () => {
  const bare = { ...env, AUTH_SECRET: undefined, AUTH_TOKEN: undefined } as unknown as Env;

  it('no secret and no AUTH_DISABLED: every /v1 route answers 503 server_misconfigured; / and /healthz stay up', async () => {
    for (const e of [bare, { ...bare, AUTH_SECRET: '' }, { ...bare, AUTH_DISABLED: 'false' }, { ...bare, AUTH_DISABLED: '1' }] as unknown as Env[]) {
      for (const [path, init] of [
        ['/v1/voices', {}],
        ['/v1/stream', { headers: { Upgrade: 'websocket' } }],
        ['/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: 'Hi.', voice: 'joe' }) }],
        ['/v1/voices/x', { method: 'PUT', body: '{}' }],
      ] as [string, RequestInit][]) {
        const res = await app.request(path, init, e);
        expect(res.status, path).toBe(503);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('server_misconfigured');
        expect(body.error.message).toMatch(/AUTH_SECRET/);
        expect(body.error.message).toMatch(/AUTH_DISABLED/);
      }
    }
    expect((await app.request('/', {}, bare)).status).toBe(200);
    expect((await app.request('/healthz', {}, bare)).status).toBe(200);
  });

  it('AUTH_DISABLED = "true": anonymous callers may speak and list, never write voices', async () => {
    const open = { ...bare, AUTH_DISABLED: 'true' } as unknown as Env;
    expect((await app.request('/v1/voices', {}, open)).status).toBe(200);
    const speech = await app.request('/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: 'Hi.', voice: 'joe', response_format: 'pcm' }) }, open);
    expect(speech.status).toBe(200);
    expect((await speech.arrayBuffer()).byteLength).toBeGreaterThan(0);
    for (const init of [{ method: 'PUT', body: '{}' }, { method: 'DELETE' }]) {
      const res = await app.request('/v1/voices/anon-voice', init, open);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'insufficient_scope' } });
    }
  });

  it('a token living longer than MAX_TOKEN_LIFETIME_SECONDS (default 24 h) is refused, exp 1e300 included', async () => {
    for (const exp of [now() + 86_400 + 60, 1e300, 2 ** 53 - 1]) {
      const res = await app.request('/v1/voices', bearer(await signToken(SECRET, { sub: 'forever', exp })), secured);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', reason: 'lifetime' } });
    }
    expect((await app.request('/v1/voices', bearer(await token('day', 86_000)), secured)).status).toBe(200);
    const short = { ...secured, MAX_TOKEN_LIFETIME_SECONDS: '60' } as unknown as Env;
    expect((await app.request('/v1/voices', bearer(await token('hour', 3600)), short)).status).toBe(401);
    expect((await app.request('/v1/voices', bearer(await token('minute', 50)), short)).status).toBe(200);
  });
});
