import { beforeAll, describe, expect, it } from 'vitest';
import { openSocket, workerFetch } from './helpers';

// Flow control (docs/protocol.md) in workerd with the real models. The test config sets
// ACK_WINDOW_SECONDS=2 and SLOW_CONSUMER_SECONDS=1 (vitest.config.ts).
let voice = '';
beforeAll(async () => {
  const res = await workerFetch('http://worker/v1/voices');
  voice = ((await res.json()) as { voices: { id: string }[] }).voices[0]!.id;
});

const LONG = 'A reader that has stopped reading must not make the server queue audio for it. '.repeat(6);

describe('ack flow control', () => {
  it('a client that never acknowledges gets slow_consumer once the window is full; the socket stays usable', async () => {
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'slow', text: LONG, voice, ack: true, chunkMs: 100 });
    let audioMs = 0;
    let end: Record<string, unknown> | undefined;
    while (!end) {
      const f = await sock.next();
      if (f.kind === 'binary') audioMs += (f.bytes.length / 2 / 22050) * 1000;
      else if (f.msg.type === 'error' || f.msg.type === 'done') end = f.msg;
    }
    expect(end).toMatchObject({ type: 'error', id: 'slow', code: 'slow_consumer' });
    // Nothing beyond the 2 s window (plus the chunk that crossed it) was sent; the text is far longer than that.
    expect(audioMs).toBeGreaterThan(1900);
    expect(audioMs).toBeLessThanOrEqual(2000 + 100 + 1);
    sock.send({ type: 'ping', t: 'still here' });
    expect(await sock.nextText()).toEqual({ type: 'pong', t: 'still here' });
    sock.send({ type: 'speak', id: 'next', text: 'Still working.', voice });
    const frames = await sock.untilEnd('next');
    expect(frames.at(-1)).toMatchObject({ kind: 'text', msg: { type: 'done', id: 'next' } });
    sock.close();
  });

  it('a client that acknowledges as it receives gets the whole request', async () => {
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'steady', text: LONG, voice, ack: true, chunkMs: 100 });
    let chunks = 0;
    for (;;) {
      const f = await sock.next();
      if (f.kind === 'binary') {
        chunks++;
        sock.send({ type: 'ack', id: 'steady', seq: f.seq });
      } else if (f.msg.type === 'done' || f.msg.type === 'error') {
        expect(f.msg).toMatchObject({ type: 'done', chunks });
        expect(f.msg.audioMs as number).toBeGreaterThan(10_000);
        break;
      }
    }
    sock.close();
  });
});
