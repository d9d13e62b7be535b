import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http';
import { authHeaders, checkRequest, TestSocket } from './helpers';

// Per-token limits kept in the RateLimiter Durable Object. Each test uses a token subject of its own so the suite's
// other sockets never count against it. Per-socket limits (busy, text_too_long, requests per minute) are in
// errors.test.ts.
const app = createApp();
const limited = (vars: Record<string, unknown>): Env => ({ ...env, ...vars }) as unknown as Env;
const voice = 'joe';

async function open(sub: string, e: Env): Promise<Response> {
  return app.request('/v1/stream', { headers: { Upgrade: 'websocket', ...(await authHeaders(sub)) } }, e);
}

async function post(sub: string, e: Env, body: Record<string, unknown>, init: { chunked?: boolean } = {}): Promise<Response> {
  const json = JSON.stringify({ voice, response_format: 'pcm', ...body });
  const payload: BodyInit = init.chunked
    ? new ReadableStream<Uint8Array>({
        start(c) {
          const bytes = new TextEncoder().encode(json);
          for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
          c.close();
        },
      })
    : json;
  return app.request('/v1/audio/speech', { method: 'POST', headers: await authHeaders(sub), body: payload }, e);
}

/** The PCM body's audio seconds, or how far it got before it was cut (`cut`: the body ended with an error). */
async function readPcm(res: Response): Promise<{ seconds: number; cut: boolean }> {
  const rate = Number(res.headers.get('X-Sample-Rate'));
  const reader = res.body!.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { seconds: bytes / 2 / rate, cut: false };
      bytes += value.byteLength;
    }
  } catch {
    return { seconds: bytes / 2 / rate, cut: true };
  }
}

const SENTENCE = 'One sentence of speech to use up some of the budget.';

describe('concurrent sockets per token (too_many_sockets)', () => {
  it('refuses the upgrade past MAX_SOCKETS_PER_TOKEN with 429, and frees the slot on close', async () => {
    const e = limited({ MAX_SOCKETS_PER_TOKEN: '2' });
    const a = await open('sockets-a', e);
    const b = await open('sockets-a', e);
    expect([a.status, b.status]).toEqual([101, 101]);
    const other = await open('sockets-b', e);
    expect(other.status).toBe(101);
    const c = await open('sockets-a', e);
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
      const d = await open('sockets-a', e);
      status = d.status;
      if (status === 101) new TestSocket(d.webSocket!).close();
    }
    expect(status).toBe(101);
  });
});

describe('audio seconds per token per minute (reserved per acoustic run)', () => {
  it('WebSocket: no audio past the budget, rate_limited on every socket of the token, the socket stays usable', async () => {
    const e = limited({ AUDIO_SECONDS_PER_MINUTE: '6' });
    const sub = 'budget-ws';
    const sock = new TestSocket((await open(sub, e)).webSocket!);
    sock.send({ type: 'speak', id: 'a', text: `${SENTENCE} ${SENTENCE} ${SENTENCE} ${SENTENCE}`, voice });
    const frames = await sock.untilEnd('a');
    const end = frames.at(-1)!;
    expect(end.kind === 'text' && end.msg).toMatchObject({ type: 'error', code: 'rate_limited' });
    const sentSeconds = frames.reduce((n, f) => n + (f.kind === 'binary' ? f.bytes.length / 2 / 22050 : 0), 0);
    expect(sentSeconds).toBeGreaterThan(1);
    expect(sentSeconds).toBeLessThanOrEqual(6);
    // Refused at `start` when the minute is used up, else at its first run's reservation: no audio either way.
    sock.send({ type: 'speak', id: 'b', text: SENTENCE, voice });
    const b = await sock.untilEnd('b');
    expect(b.at(-1)).toMatchObject({ kind: 'text', msg: { type: 'error', id: 'b', code: 'rate_limited' } });
    expect(b.filter((f) => f.kind === 'binary')).toEqual([]);
    sock.send({ type: 'ping', t: 1 });
    expect(await sock.nextText()).toEqual({ type: 'pong', t: 1 });
    // Another socket of the same subject is limited too: the count lives in the Durable Object, not the socket.
    const sock2 = new TestSocket((await open(sub, e)).webSocket!);
    sock2.send({ type: 'speak', id: 'c', text: SENTENCE, voice });
    const c = await sock2.untilEnd('c');
    expect(c.at(-1)).toMatchObject({ kind: 'text', msg: { type: 'error', id: 'c', code: 'rate_limited' } });
    expect(c.filter((f) => f.kind === 'binary')).toEqual([]);
    const state = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(sub)).check(6, 60_000);
    expect(state.usedSeconds).toBeLessThanOrEqual(6);
    // A different subject is not affected.
    const sock3 = new TestSocket((await open('budget-ws-other', e)).webSocket!);
    sock3.send({ type: 'speak', id: 'd', text: 'Fine.', voice });
    checkRequest(await sock3.untilEnd('d'), 'd');
    for (const s of [sock, sock2, sock3]) s.close();
  });

  it('HTTP: 12 concurrent requests on one token never synthesise more than the budget together', async () => {
    const budget = 20;
    const e = limited({ AUDIO_SECONDS_PER_MINUTE: String(budget), MAX_CONCURRENT_SPEECH: '100' });
    const results = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const res = await post('budget-http', e, { input: `${SENTENCE} ${SENTENCE}` });
        return res.status === 200 ? readPcm(res) : { seconds: 0, cut: false, status: res.status };
      }),
    );
    const total = results.reduce((n, r) => n + r.seconds, 0);
    expect(total).toBeGreaterThan(3);
    expect(total).toBeLessThanOrEqual(budget);
    const used = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('budget-http')).check(budget, 60_000);
    expect(used.usedSeconds).toBeLessThanOrEqual(budget);
  });

  it('HTTP: 429 with Retry-After once spent, with Content-Length or chunked alike (one subject per token)', async () => {
    const e = limited({ AUDIO_SECONDS_PER_MINUTE: '4' });
    const first = await post('budget-chunked', e, { input: 'Hello there, my good friend, how are you?' });
    expect(first.status).toBe(200);
    await readPcm(first);
    for (const chunked of [false, true, false, true]) {
      const res = await post('budget-chunked', e, { input: SENTENCE }, { chunked });
      expect(res.status, `chunked ${chunked}`).toBe(429);
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
    }
  });

  it('HTTP: a body cut by the budget mid-request ends with an error, not a clean end', async () => {
    const e = limited({ AUDIO_SECONDS_PER_MINUTE: '5' });
    const res = await post('budget-cut', e, { input: `${SENTENCE} ${SENTENCE} ${SENTENCE} ${SENTENCE}` });
    expect(res.status).toBe(200);
    const body = await readPcm(res);
    expect(body.cut).toBe(true);
    expect(body.seconds).toBeGreaterThan(0.5);
    expect(body.seconds).toBeLessThanOrEqual(5);
    // A complete body ends cleanly.
    const ok = await post('budget-cut-ok', e, { input: 'Short.' });
    expect(await readPcm(ok)).toMatchObject({ cut: false });
  });
});

describe('concurrent HTTP syntheses per token (MAX_CONCURRENT_SPEECH)', () => {
  it('429 too_many_requests past the cap; the slot frees when a body finishes', async () => {
    const e = limited({ MAX_CONCURRENT_SPEECH: '2' });
    const [a, b] = await Promise.all([post('speech-cap', e, { input: SENTENCE }), post('speech-cap', e, { input: SENTENCE })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await post('speech-cap', e, { input: SENTENCE });
    expect(c.status).toBe(429);
    expect(await c.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await post('speech-cap-other', e, { input: 'Fine.' })).status).toBe(200);
    await Promise.all([readPcm(a), readPcm(b)]);
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const d = await post('speech-cap', e, { input: 'Again.' });
      status = d.status;
      if (status === 200) await readPcm(d);
      else await d.arrayBuffer();
    }
    expect(status).toBe(200);
  });
});

describe('text length per request (text_too_long) over HTTP', () => {
  it('400 text_too_long past MAX_TEXT_CHARS', async () => {
    const res = await post('text-len', limited({ MAX_TEXT_CHARS: '50' }), { input: 'x'.repeat(51) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'text_too_long' } });
  });

  it('413 for a body far beyond any accepted text, before it is parsed, chunked or not', async () => {
    for (const chunked of [false, true]) {
      const res = await post('text-len', env, { input: 'x'.repeat(300_000) }, { chunked });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'text_too_long' } });
    }
  });
});

describe('limiter outage: isolate-local fallback limits, not no limits', () => {
  const broken = {
    idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
    get: () => new Proxy({}, { get: () => () => Promise.reject(new Error('Durable Object reset because its code was updated')) }),
  };

  it('serves speech when the RateLimiter object cannot be reached, or the binding is missing', async () => {
    for (const e of [limited({}), limited({ RATE_LIMITER: broken }), limited({ RATE_LIMITER: undefined })]) {
      const res = await open('outage-serves', e);
      expect(res.status).toBe(101);
      const sock = new TestSocket(res.webSocket!);
      sock.send({ type: 'speak', id: 'a', text: 'Still speaking.', voice });
      checkRequest(await sock.untilEnd('a'), 'a');
      sock.close();
    }
  });

  it('keeps the same limits in the isolate while the object is down: sockets and audio seconds', async () => {
    const e = limited({ RATE_LIMITER: broken, MAX_SOCKETS_PER_TOKEN: '1', AUDIO_SECONDS_PER_MINUTE: '4' });
    const a = await open('outage-limits', e);
    expect(a.status).toBe(101);
    expect((await open('outage-limits', e)).status).toBe(429);
    const sock = new TestSocket(a.webSocket!);
    sock.send({ type: 'speak', id: 'a', text: `${SENTENCE} ${SENTENCE}`, voice });
    const frames = await sock.untilEnd('a');
    const sent = frames.reduce((n, f) => n + (f.kind === 'binary' ? f.bytes.length / 2 / 22050 : 0), 0);
    expect(sent).toBeLessThanOrEqual(4);
    expect(frames.at(-1)).toMatchObject({ kind: 'text', msg: { code: 'rate_limited' } });
    sock.close();
  });
});
