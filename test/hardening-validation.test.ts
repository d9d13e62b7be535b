import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http';
import { getRuntime } from '../src/http/runtime';
import { authHeaders, checkRequest, openSocket } from './helpers';

// Validation: blend weights, resumeFrom, voice upload size (streamed), the voice cache and KV reads per request.
const app = createApp();
const speech = async (body: Record<string, unknown>, sub = 'validation'): Promise<Response> =>
  app.request('/v1/audio/speech', { method: 'POST', headers: await authHeaders(sub), body: JSON.stringify({ response_format: 'pcm', ...body }) }, env);
const HUGE = `1${'0'.repeat(400)}`; // parses to Infinity

describe('blend weights', () => {
  it('a weight that overflows to Infinity is bad_request over HTTP and WebSocket, not internal', async () => {
    for (const voice of [`joe:${HUGE}`, `joe:${HUGE},joe:1`, `joe:${HUGE},joe:${HUGE}`]) {
      const res = await speech({ input: 'Hello.', voice });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).not.toMatch(/ort|onnx|wasm|NaN/i);
    }
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'inf', text: 'Hello.', voice: `joe:${HUGE},joe:1` });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'inf', code: 'bad_request' });
    sock.send({ type: 'speak', id: 'fine', text: 'Hello.', voice: 'joe:0.7,joe:0.3' });
    checkRequest(await sock.untilEnd('fine'), 'fine');
    sock.close();
  });

  it('a blend of more than 4 voices is refused before any voice is read', async () => {
    const res = await speech({ input: 'Hello.', voice: 'joe,joe,joe,joe,joe' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
  });
});

describe('resumeFrom', () => {
  it('past what the text can produce: bad_request before start, quickly (nothing synthesised to nowhere)', async () => {
    const sock = await openSocket();
    const t0 = Date.now();
    sock.send({ type: 'speak', id: 'far', text: 'The keeper climbed the stairs anyway, counting each step out loud.', voice: 'joe', resumeFrom: 1e15 });
    const reply = await sock.nextText();
    expect(reply).toMatchObject({ type: 'error', id: 'far', code: 'bad_request' });
    expect(String(reply.message)).toMatch(/past the end/);
    expect(Date.now() - t0).toBeLessThan(5000);
    // A resume point inside the request still works.
    sock.send({ type: 'speak', id: 'near', text: 'The keeper climbed the stairs anyway, counting each step out loud.', voice: 'joe', resumeFrom: 3 });
    const frames = await sock.untilEnd('near');
    expect(frames[0]).toMatchObject({ kind: 'text', msg: { type: 'start', resumeFrom: 3 } });
    expect(frames.at(-1)).toMatchObject({ kind: 'text', msg: { type: 'done' } });
    expect(frames.find((f) => f.kind === 'binary')).toMatchObject({ seq: 3 });
    sock.close();
  });
});

describe('voice uploads are read with a streaming size limit', () => {
  it('a 90 MB chunked PUT gets 413 after reading about 64 KiB, not the whole body', async () => {
    let pulled = 0;
    const piece = new Uint8Array(16 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled >= 90 * 1024 * 1024) return c.close();
        pulled += piece.byteLength;
        c.enqueue(piece);
      },
    });
    const res = await app.request('/v1/voices/big', { method: 'PUT', headers: await authHeaders('uploader', ['voices:write']), body }, env);
    expect(res.status).toBe(413);
    // The limit plus what the stream had buffered ahead: far below the 90 MB sent.
    expect(pulled).toBeLessThan(1024 * 1024);
  });
});

describe('the unknown-voice cache is bounded', () => {
  it('600 distinct unknown ids leave at most 512 cached', async () => {
    for (let i = 0; i < 600; i++) {
      const res = await speech({ input: 'Hi.', voice: `nobody-${i}` }, 'cache-filler');
      expect(res.status).toBe(400);
      await res.arrayBuffer();
    }
    expect(getRuntime(env.VOICES)!.voices.cachedCount).toBeLessThanOrEqual(512);
  });
});
