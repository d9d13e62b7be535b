import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, openSocket, type TestSocket, workerFetch } from './helpers';

// Limits come from the test bindings in vitest.config.ts (MAX_TEXT_CHARS, MAX_QUEUED, REQUESTS_PER_MINUTE).
let voice = '';
let sock: TestSocket;

beforeAll(async () => {
  const { voices } = (await (await workerFetch('http://worker/v1/voices')).json()) as { voices: { id: string }[] };
  voice = voices[0]!.id;
  sock = await openSocket();
});
afterAll(() => sock?.close());

/** After an error the socket must still serve a request. */
async function stillUsable(id: string): Promise<void> {
  sock.send({ type: 'speak', id, text: 'Okay.', voice });
  const r = checkRequest(await sock.untilEnd(id), id);
  expect(r.chunks.length).toBeGreaterThan(0);
}

describe('protocol errors end only their request', () => {
  it('bad_request: malformed JSON', async () => {
    sock.send('{not json');
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
    await stillUsable('ok-1');
  });

  it('bad_request: wrong-typed field', async () => {
    sock.send({ type: 'speak', id: 'e2', text: 5, voice });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e2', code: 'bad_request' });
    await stillUsable('ok-2');
  });

  it('unknown_voice', async () => {
    sock.send({ type: 'speak', id: 'e3', text: 'Hello.', voice: 'no_such_voice' });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e3', code: 'unknown_voice' });
    sock.send({ type: 'speak', id: 'e3b', text: 'Hello.', voice: `${voice}:0.5,nobody:0.5` });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e3b', code: 'unknown_voice' });
    await stillUsable('ok-3');
  });

  it('text_too_long', async () => {
    sock.send({ type: 'speak', id: 'e4', text: 'word '.repeat(200), voice });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e4', code: 'text_too_long' });
    await stillUsable('ok-4');
  });

  it('unsupported_format', async () => {
    sock.send({ type: 'speak', id: 'e5', text: 'Hello.', voice, format: 'flac' });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e5', code: 'unsupported_format' });
    sock.send({ type: 'speak', id: 'e5b', text: 'Hello.', voice, sampleRate: 8000 });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e5b', code: 'unsupported_format' });
    await stillUsable('ok-5');
  });

  it('busy: too many requests waiting', async () => {
    // MAX_QUEUED=3: one runs, three wait, the fifth is refused.
    for (const id of ['q1', 'q2', 'q3', 'q4', 'q5']) sock.send({ type: 'speak', id, text: 'A sentence to keep the socket busy for a moment.', voice });
    const seen: Record<string, string> = {};
    while (Object.keys(seen).length < 5) {
      const f = await sock.next();
      if (f.kind === 'text' && ['done', 'error', 'cancelled'].includes(f.msg.type)) seen[f.msg.id as string] = f.msg.type === 'error' ? (f.msg.code as string) : f.msg.type;
    }
    expect(seen).toEqual({ q1: 'done', q2: 'done', q3: 'done', q4: 'done', q5: 'busy' });
    await stillUsable('ok-6');
  });

  it('internal: a corrupt voice in KV', async () => {
    await env.VOICES.put('voices/broken.json', JSON.stringify({ id: 'broken', name: 'Broken', language: 'en-US', sampleRate: 22050 }));
    await env.VOICES.put('voices/broken.bin', new Uint8Array([1, 2, 3]));
    sock.send({ type: 'speak', id: 'e7', text: 'Hello.', voice: 'broken' });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'e7', code: 'internal' });
    await stillUsable('ok-7');
  });

  it('rate_limited: too many requests per minute on one socket', async () => {
    // REQUESTS_PER_MINUTE=30 and this socket has made fewer; fill the window with empty requests.
    let n = 0;
    for (;;) {
      const id = `r${n++}`;
      sock.send({ type: 'speak', id, text: '.', voice });
      const end = (await sock.untilEnd(id)).pop()!;
      if (end.kind === 'text' && end.msg.type === 'error') {
        expect(end.msg).toMatchObject({ id, code: 'rate_limited' });
        break;
      }
      expect(n).toBeLessThan(40);
    }
    sock.send({ type: 'ping', t: 1 });
    expect(await sock.nextText()).toEqual({ type: 'pong', t: 1 });
  });
});
