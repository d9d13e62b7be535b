import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http';
import { realModels, workerFetch } from './helpers';

const speech = (body: unknown): Promise<Response> =>
  workerFetch('http://worker/v1/audio/speech', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /', () => {
  it('serves the demo page', async () => {
    const res = await exports.default.fetch('http://worker/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/v1/stream');
  });
});

describe('HTTP API', () => {
  let voice = '';
  beforeAll(async () => {
    const res = await workerFetch('http://worker/v1/voices');
    expect(res.status).toBe(200);
    const { voices } = (await res.json()) as { voices: Record<string, unknown>[] };
    expect(voices.length).toBeGreaterThan(0);
    for (const v of voices) expect(Object.keys(v).sort()).toEqual(['description', 'id', 'language', 'license', 'name', 'sampleRate']);
    voice = voices[0]!.id as string;
  });

  it('POST /v1/audio/speech streams a WAV', async () => {
    const text = 'Hello from the edge. This is a test.';
    const res = await speech({ model: 'tts-1', input: text, voice, response_format: 'wav' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('audio/wav');
    // The body streams as audio is generated: it arrives in several pieces, the header first.
    const reader = res.body!.getReader();
    const pieces: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value);
    expect(pieces.length).toBeGreaterThan(3);
    const bytes = new Uint8Array(pieces.reduce((s, p) => s + p.length, 0));
    pieces.reduce((off, p) => (bytes.set(p, off), off + p.length), 0);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RIFF');
    expect(new DataView(bytes.buffer).getUint32(24, true)).toBe(22050);
    const seconds = (bytes.length - 44) / 2 / 22050;
    expect(seconds).toBeGreaterThan(0.3);
    if (realModels) expect(seconds).toBeGreaterThan(8 * 0.1);
  });

  it('POST /v1/audio/speech gives raw pcm at 16000', async () => {
    const res = await speech({ model: 'tts-1', input: 'Short.', voice, response_format: 'pcm', sample_rate: 16000 });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length % 2).toBe(0);
    expect(bytes.length).toBeGreaterThan(0.1 * 16000 * 2);
  });

  it.each([
    { name: 'unknown voice', body: { input: 'Hi.', voice: 'nobody' }, code: 'unknown_voice' },
    { name: 'bad format', body: { input: 'Hi.', voice: 'x', response_format: 'aiff' }, code: 'unsupported_format' },
    { name: 'missing input', body: { voice: 'x' }, code: 'bad_request' },
  ])('400 for $name', async ({ body, code }) => {
    const res = await speech(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });
});

describe('auth (AUTH_TOKEN configured)', () => {
  const app = createApp();
  const secured = { ...env, AUTH_TOKEN: 'sekret' } as Env;

  it('refuses /v1/* without a token, before any upgrade', async () => {
    expect((await app.request('/v1/voices', {}, secured)).status).toBe(401);
    expect((await app.request('/v1/voices', { headers: { Authorization: 'Bearer wrong' } }, secured)).status).toBe(401);
    expect((await app.request('/v1/stream', { headers: { Upgrade: 'websocket' } }, secured)).status).toBe(401);
  });

  it('accepts a Bearer header or the token query parameter', async () => {
    expect((await app.request('/v1/voices', { headers: { Authorization: 'Bearer sekret' } }, secured)).status).toBe(200);
    expect((await app.request('/v1/voices?token=sekret', {}, secured)).status).toBe(200);
    const ws = await app.request('/v1/stream?token=sekret', { headers: { Upgrade: 'websocket' } }, secured);
    expect(ws.status).toBe(101);
    ws.webSocket?.accept();
    ws.webSocket?.close();
  });

  it('leaves / and /healthz open', async () => {
    expect((await app.request('/', {}, secured)).status).toBe(200);
    expect((await app.request('/healthz', {}, secured)).status).toBe(200);
  });
});
