import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TtsClient, type WebSocketLike } from './client';
import { TtsError } from './wire';

/** A socket driven by the test: it records what the client sends and lets the test play the server. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  binaryType: BinaryType = 'blob';
  sent: Record<string, unknown>[] = [];
  onopen: WebSocket['onopen'] = null;
  onclose: WebSocket['onclose'] = null;
  onerror: WebSocket['onerror'] = null;
  onmessage: WebSocket['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.drop();
  }
  // --- the server side
  accept(): void {
    this.readyState = 1;
    this.onopen?.call(this as unknown as WebSocket, new Event('open'));
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.call(this as unknown as WebSocket, new Event('close') as CloseEvent);
  }
  json(m: object): void {
    this.onmessage?.call(this as unknown as WebSocket, { data: JSON.stringify(m) } as MessageEvent);
  }
  /** A pcm16 chunk whose samples are seq*100 + i, so order and repeats show in the decoded audio. */
  chunk(seq: number, samples = 4): void {
    const buf = new ArrayBuffer(4 + 2 * samples);
    const v = new DataView(buf);
    v.setUint32(0, seq, true);
    for (let i = 0; i < samples; i++) v.setInt16(4 + 2 * i, seq * 100 + i, true);
    this.onmessage?.call(this as unknown as WebSocket, { data: buf } as MessageEvent);
  }
  speaks(): Record<string, unknown>[] {
    return this.sent.filter((m) => m.type === 'speak');
  }
}

function setup(options: ConstructorParameters<typeof TtsClient>[0] = {}) {
  const sockets: FakeSocket[] = [];
  // A reachable server that accepts the token: a plain GET of the stream URL answers 426 (upgrade required).
  const fetch = async (): Promise<Response> => new Response(null, { status: 426 });
  const client = new TtsClient({ url: 'ws://host/v1/stream', token: 't k', fetch, ...options, webSocket: (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  } });
  const audio: number[] = [];
  const last = () => sockets[sockets.length - 1]!;
  return { client, sockets, last, audio };
}

const params = { text: 'Hello there.', voice: 'v1', format: 'pcm16' as const, speed: 1.25, chunkMs: 40 };
const toInts = (s: Float32Array) => Array.from(s, (x) => Math.round(x * 32768));

describe('TtsClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('speaks, acknowledges chunks and resolves after done', async () => {
    const { client, last, audio } = setup();
    const h = client.speak({ ...params, onAudio: (s) => audio.push(...toInts(s)) });
    const ws = last();
    expect(ws.url).toBe('ws://host/v1/stream?token=t+k');
    ws.accept();
    const [speak] = ws.speaks();
    expect(speak).toMatchObject({ ...params, type: 'speak', ack: true });
    expect(speak).not.toHaveProperty('resumeFrom');
    expect(speak).not.toHaveProperty('wordsAfterMs');
    ws.json({ type: 'start', id: speak!.id, format: 'pcm16', sampleRate: 22050, channels: 1 });
    ws.chunk(0);
    expect(ws.sent.filter((m) => m.type === 'ack')).toEqual([{ type: 'ack', id: speak!.id, seq: 0 }]);
    ws.chunk(1);
    await vi.advanceTimersByTimeAsync(200); // the batched ack for chunk 1 goes out on its timer
    expect(ws.sent.filter((m) => m.type === 'ack').map((m) => m.seq)).toEqual([0, 1]);
    ws.json({ type: 'done', id: speak!.id, chunks: 2, audioMs: 0.4, firstAudioMs: 5, totalMs: 9 });
    const r = await h.finished;
    expect(r.status).toBe('done');
    expect(audio).toEqual([0, 1, 2, 3, 100, 101, 102, 103]);
    expect(r.stats).toMatchObject({ chunks: 2, bytes: 24, samples: 8, sampleRate: 22050, reconnects: 0, decoder: 'pcm16' });
  });

  it('after a drop, reconnects with backoff and resumes from the first missing chunk, without repeats', async () => {
    const { client, sockets, last, audio } = setup();
    const words: string[] = [];
    const reconnects: [number, number][] = [];
    const h = client.speak({
      ...params,
      onAudio: (s) => audio.push(...toInts(s)),
      onWords: (w) => words.push(...w.map((x) => x.text)),
      onReconnect: (attempt, from) => reconnects.push([attempt, from]),
    });
    let ws = last();
    ws.accept();
    const id0 = ws.speaks()[0]!.id;
    ws.json({ type: 'start', id: id0, format: 'pcm16', sampleRate: 22050, channels: 1 });
    ws.chunk(0);
    ws.chunk(1);
    ws.json({ type: 'words', id: id0, words: [{ text: 'Hello', startMs: 0, endMs: 300 }] });
    ws.drop();

    await vi.advanceTimersByTimeAsync(249);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    last().drop(); // the first attempt fails before opening: the next waits 500 ms
    await vi.advanceTimersByTimeAsync(499);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    expect(reconnects).toEqual([[1, 2], [2, 2]]);

    ws = last();
    ws.accept();
    const [resent] = ws.speaks();
    expect(resent).toMatchObject({ ...params, type: 'speak', ack: true, resumeFrom: 2, wordsAfterMs: 300 });
    expect(resent!.id).not.toBe(id0);
    ws.json({ type: 'start', id: resent!.id, format: 'pcm16', sampleRate: 22050, channels: 1, resumeFrom: 2 });
    ws.json({ type: 'words', id: resent!.id, words: [{ text: 'Hello', startMs: 0, endMs: 300 }, { text: 'there', startMs: 320, endMs: 600 }] });
    ws.chunk(1); // a repeat must not be played twice
    ws.chunk(2);
    ws.json({ type: 'done', id: resent!.id, chunks: 3, audioMs: 0.5, firstAudioMs: 5, totalMs: 9 });
    const r = await h.finished;
    expect(audio).toEqual([0, 1, 2, 3, 100, 101, 102, 103, 200, 201, 202, 203]);
    expect(words).toEqual(['Hello', 'there']);
    expect(r.stats).toMatchObject({ chunks: 3, reconnects: 1 });
  });

  it('fails with connection_failed after the last reconnect attempt', async () => {
    const { client, sockets, last } = setup({ reconnect: { initialMs: 10, tries: 2 } });
    const h = client.speak(params);
    const caught = h.finished.catch((e: unknown) => e);
    last().accept();
    last().drop();
    await vi.advanceTimersByTimeAsync(10);
    last().drop();
    await vi.advanceTimersByTimeAsync(20);
    last().drop();
    const e = await caught;
    expect(e).toBeInstanceOf(TtsError);
    expect((e as TtsError).code).toBe('connection_failed');
    expect(sockets).toHaveLength(3);
  });

  it('fails at once with the server\'s code when the upgrade is refused (bad token), without reconnecting', async () => {
    const asked: string[] = [];
    const refuse = async (url: string): Promise<Response> => {
      asked.push(url);
      return Response.json({ error: { code: 'unauthorized', message: 'bad token' } }, { status: 401 });
    };
    const { client, sockets, last } = setup({ fetch: refuse });
    const h = client.speak(params);
    const failed = h.finished.catch((e: unknown) => e);
    last().drop(); // closed before it ever opened
    const e = await failed;
    expect(e).toBeInstanceOf(TtsError);
    expect(e).toMatchObject({ code: 'unauthorized', message: 'bad token' });
    expect(asked).toEqual(['http://host/v1/stream?token=t+k']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets.length).toBe(1);
  });

  it('keeps reconnecting when the failed upgrade was not a refusal', async () => {
    const { client, sockets, last } = setup();
    void client.speak(params).finished.catch(() => undefined);
    last().drop();
    await vi.advanceTimersByTimeAsync(250);
    expect(sockets.length).toBe(2);
  });

  it('streams text in pieces (final: false, append, end) and re-sends every piece after a reconnect', async () => {
    const { client, last } = setup();
    const h = client.speak({ ...params, text: 'Hello', final: false });
    let ws = last();
    ws.accept();
    h.append(' there.');
    const id0 = ws.speaks()[0]!.id;
    ws.json({ type: 'start', id: id0, format: 'pcm16', sampleRate: 22050, channels: 1 });
    ws.chunk(0);
    ws.drop();
    h.append(' How are you?'); // while reconnecting: kept, sent after the resumed first message
    h.end();
    expect(() => h.append('more')).toThrow(TtsError);
    await vi.advanceTimersByTimeAsync(250);
    ws = last();
    ws.accept();
    const sent = ws.speaks();
    expect(sent.map((m) => [m.text, m.final, m.resumeFrom])).toEqual([
      ['Hello', false, 1],
      [' there.', false, undefined],
      [' How are you?', false, undefined],
      ['', true, undefined],
    ]);
    expect(new Set(sent.map((m) => m.id)).size).toBe(1);
    const id1 = sent[0]!.id as string;
    ws.json({ type: 'start', id: id1, format: 'pcm16', sampleRate: 22050, channels: 1, resumeFrom: 1 });
    ws.chunk(1);
    ws.json({ type: 'done', id: id1, chunks: 2, audioMs: 0.4, firstAudioMs: 5, totalMs: 9 });
    expect((await h.finished).status).toBe('done');
  });

  it('rejects with the server error code and keeps the socket for the next request', async () => {
    const { client, sockets, last } = setup();
    const h = client.speak({ ...params, voice: 'nope' });
    const caught = h.finished.catch((e: unknown) => e);
    const ws = last();
    ws.accept();
    ws.json({ type: 'error', id: ws.speaks()[0]!.id, code: 'unknown_voice', message: 'no voice "nope"' });
    expect(await caught).toMatchObject({ code: 'unknown_voice', message: 'no voice "nope"' });
    client.speak(params);
    expect(sockets).toHaveLength(1);
    expect(ws.speaks()).toHaveLength(2);
  });

  it('cancel sends cancel, resolves as cancelled and ignores audio still in flight', async () => {
    const { client, sockets, last, audio } = setup();
    const h = client.speak({ ...params, onAudio: (s) => audio.push(...toInts(s)) });
    const ws = last();
    ws.accept();
    const id = ws.speaks()[0]!.id;
    ws.json({ type: 'start', id, format: 'pcm16', sampleRate: 22050, channels: 1 });
    ws.chunk(0);
    h.cancel();
    expect(ws.sent[ws.sent.length - 1]).toEqual({ type: 'cancel', id });
    ws.chunk(1);
    expect((await h.finished).status).toBe('cancelled');
    expect(audio).toEqual([0, 1, 2, 3]);
    ws.drop(); // nothing unfinished: no reconnect
    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets).toHaveLength(1);
  });

  it('does not ask for flow control when ack is off', () => {
    const { client, last } = setup({ ack: false });
    client.speak(params);
    last().accept();
    expect(last().speaks()[0]).not.toHaveProperty('ack');
  });
});
