import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http';
import { checkRequest, TestSocket } from './helpers';

// Per-token limits kept in the RateLimiter Durable Object. Auth is off here, so the subject is the client address:
// each test uses its own CF-Connecting-IP so the suite's other sockets never count against it.
// Per-socket limits (busy, text_too_long, requests per minute) are in errors.test.ts; HTTP ones are here.
const app = createApp();
const limited = (vars: Record<string, string>): Env => ({ ...env, ...vars }) as unknown as Env;
let voice = '';

async function open(ip: string, e: Env): Promise<Response> {
  return app.request('/v1/stream', { headers: { Upgrade: 'websocket', 'CF-Connecting-IP': ip } }, e);
}

async function firstVoice(): Promise<string> {
  if (voice) return voice;
  const { voices } = (await (await app.request('/v1/voices', {}, env)).json()) as { voices: { id: string }[] };
  return (voice = voices[0]!.id);
}

describe('concurrent sockets per token (too_many_sockets)', () => {
  it('refuses the upgrade past MAX_SOCKETS_PER_TOKEN with 429, and frees the slot on close', async () => {
    const e = limited({ MAX_SOCKETS_PER_TOKEN: '2' });
    const a = await open('10.0.0.1', e);
    const b = await open('10.0.0.1', e);
    expect([a.status, b.status]).toEqual([101, 101]);
    const other = await open('10.0.0.2', e);
    expect(other.status).toBe(101);
    const c = await open('10.0.0.1', e);
    expect(c.status).toBe(429);
    expect(c.webSocket).toBeNull();
    expect(await c.json()).toMatchObject({ error: { code: 'too_many_sockets' } });
    const sa = new TestSocket(a.webSocket!);
    new TestSocket(b.webSocket!);
    new TestSocket(other.webSocket!).close();
    sa.close();
    let status = 0;
    for (let i = 0; i < 50 && status !== 101; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const d = await open('10.0.0.1', e);
      status = d.status;
      if (status === 101) new TestSocket(d.webSocket!).close();
    }
    expect(status).toBe(101);
  });
});

describe('audio seconds per token per minute (rate_limited)', () => {
  it('ends requests with rate_limited once the minute is used up, on every socket of the token', async () => {
    const e = limited({ AUDIO_SECONDS_PER_MINUTE: '1' });
    const v = await firstVoice();
    const res = await open('10.0.1.1', e);
    const sock = new TestSocket(res.webSocket!);
    // Admitted with an empty budget; charged as it is synthesised (well over 1 s of audio).
    sock.send({ type: 'speak', id: 'a', text: 'This first sentence is admitted. The second one goes over the budget. And a third.', voice: v });
    const first = await sock.untilEnd('a');
    const end = first.at(-1)!;
    expect(end.kind === 'text' && end.msg.type).toMatch(/^(done|error)$/);
    if (end.kind === 'text' && end.msg.type === 'error') expect(end.msg.code).toBe('rate_limited');
    sock.send({ type: 'speak', id: 'b', text: 'Refused before it starts.', voice: v });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'b', code: 'rate_limited' });
    // The socket stays usable.
    sock.send({ type: 'ping', t: 1 });
    expect(await sock.nextText()).toEqual({ type: 'pong', t: 1 });
    // Another socket of the same subject is limited too: the count lives in the Durable Object, not the socket.
    const res2 = await open('10.0.1.1', e);
    const sock2 = new TestSocket(res2.webSocket!);
    sock2.send({ type: 'speak', id: 'c', text: 'Hello.', voice: v });
    expect(await sock2.nextText()).toMatchObject({ type: 'error', id: 'c', code: 'rate_limited' });
    const state = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('ip:10.0.1.1')).check(1, 60_000);
    expect(state.ok).toBe(false);
    expect(state.usedSeconds).toBeGreaterThan(1);
    // A different subject is not affected.
    const res3 = await open('10.0.1.2', e);
    const sock3 = new TestSocket(res3.webSocket!);
    sock3.send({ type: 'speak', id: 'd', text: 'Fine.', voice: v });
    checkRequest(await sock3.untilEnd('d'), 'd');
    for (const s of [sock, sock2, sock3]) s.close();
  });

  it('POST /v1/audio/speech gets 429 rate_limited with Retry-After', async () => {
    const e = limited({ AUDIO_SECONDS_PER_MINUTE: '1' });
    const v = await firstVoice();
    const post = (): Promise<Response> =>
      Promise.resolve(
        app.request(
          '/v1/audio/speech',
          { method: 'POST', headers: { 'CF-Connecting-IP': '10.0.2.1' }, body: JSON.stringify({ input: 'One sentence of speech to use up the budget.', voice: v, response_format: 'pcm' }) },
          e,
        ),
      );
    const first = await post();
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const second = await post();
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await second.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });
});

describe('text length per request (text_too_long) over HTTP', () => {
  it('400 text_too_long past MAX_TEXT_CHARS', async () => {
    const res = await app.request(
      '/v1/audio/speech',
      { method: 'POST', body: JSON.stringify({ input: 'x'.repeat(51), voice: await firstVoice() }) },
      limited({ MAX_TEXT_CHARS: '50' }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'text_too_long' } });
  });

  it('413 for a body far beyond any accepted text, before it is parsed', async () => {
    const res = await app.request('/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: 'x'.repeat(300_000), voice: await firstVoice() }) }, env);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'text_too_long' } });
  });
});

describe('limiter outage fails open', () => {
  it('serves speech when the RateLimiter object cannot be reached, or the binding is missing', async () => {
    const v = await firstVoice();
    const broken = {
      idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
      get: () =>
        new Proxy(
          {},
          { get: () => () => Promise.reject(new Error('Durable Object reset because its code was updated')) },
        ),
    };
    for (const e of [limited({}), { ...limited({}), RATE_LIMITER: broken } as unknown as Env, { ...limited({}), RATE_LIMITER: undefined } as unknown as Env]) {
      const res = await open('10.5.0.1', e);
      expect(res.status).toBe(101);
      const sock = new TestSocket(res.webSocket!);
      sock.send({ type: 'speak', id: 'a', text: 'Still speaking.', voice: v });
      checkRequest(await sock.untilEnd('a'), 'a');
      sock.close();
    }
  });
});
