import { env, exports } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, openSocket, realModels, type TestSocket, workerFetch } from './helpers';

// Real worker with the models it was built with (scripts/gen-models.mjs). Assertions about speech (plausible length)
// run only with the real int8 export (models-int8/); a local throwaway model only exercises the protocol.
let voice = '';
let sock: TestSocket;

beforeAll(async () => {
  const health = await exports.default.fetch('http://worker/healthz');
  expect(health.status).toBe(200);
  const res = await workerFetch('http://worker/v1/voices');
  const { voices } = (await res.json()) as { voices: { id: string }[] };
  voice = voices[0]!.id;
  sock = await openSocket();
});
afterAll(() => sock?.close());

const PARAGRAPH = 'The quick brown fox jumps over the lazy dog. It was a sunny day, and everyone was outside. How lovely!';
const wordsIn = (s: string): number => s.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;

describe('WebSocket /v1/stream', () => {
  it('serves several requests on one socket in order, per contract', async () => {
    sock.send({ type: 'speak', id: 'a', text: PARAGRAPH, voice });
    sock.send({ type: 'speak', id: 'b', text: 'Short one.', voice, sampleRate: 16000, chunkMs: 200 });
    sock.send({ type: 'speak', id: 'c', text: 'Faster speech, please.', voice, speed: 1.5, sampleRate: 24000 });
    sock.send({ type: 'speak', id: 'd', text: 'Faster speech, please.', voice, sampleRate: 24000 });
    const results = [];
    for (const [id, rate] of [['a', 22050], ['b', 16000], ['c', 24000], ['d', 24000]] as const) {
      const frames = await sock.untilEnd(id);
      const start = frames[0]!;
      expect(start.kind === 'text' && start.msg).toMatchObject({ type: 'start', id, format: 'pcm16', sampleRate: rate, channels: 1 });
      const r = checkRequest(frames, id);
      expect(r.done.chunks).toBe(r.chunks.length);
      expect(r.chunks.length).toBeGreaterThan(0);
      const bytes = r.chunks.reduce((s, c) => s + c.length, 0);
      const audioMs = (bytes / 2 / rate) * 1000;
      expect(Math.abs(audioMs - (r.done.audioMs as number))).toBeLessThan(2);
      expect(r.done.firstAudioMs as number).toBeLessThanOrEqual(r.done.totalMs as number);
      results.push({ id, audioMs, words: r.words });
    }
    const [a, b, c, d] = results;
    // Plausible speech length: 60–600 ms per word.
    if (realModels) {
      const n = wordsIn(PARAGRAPH);
      expect(a!.audioMs).toBeGreaterThan(n * 100);
      expect(a!.audioMs).toBeLessThan(n * 700);
      expect(b!.audioMs).toBeGreaterThan(2 * 100);
      // speed 1.5 says the same words in clearly less time than speed 1
      expect(c!.audioMs).toBeLessThan(d!.audioMs * 0.85);
    }
    // Word timings: every word once, in order, inside the audio.
    expect(a!.words.map((w) => w.text).join(' ')).toBe(PARAGRAPH.replace(/[^A-Za-z ]/g, ''));
    let prev = 0;
    for (const w of a!.words) {
      expect(w.startMs).toBeGreaterThanOrEqual(prev);
      expect(w.endMs).toBeGreaterThan(w.startMs);
      expect(w.endMs).toBeLessThanOrEqual(a!.audioMs + 1);
      prev = w.startMs;
    }
    expect(c!.words.length).toBe(3);
  });

  it('speaks text that arrives in pieces (final:false)', async () => {
    sock.send({ type: 'speak', id: 'inc', text: 'Hello there, this is a stre', voice, final: false });
    sock.send({ type: 'speak', id: 'inc', text: 'amed sentence. And then', voice, final: false });
    sock.send({ type: 'speak', id: 'inc', text: ' a little more.', voice, final: true });
    const r = checkRequest(await sock.untilEnd('inc'), 'inc');
    expect(r.words.map((w) => w.text).join(' ')).toBe('Hello there this is a streamed sentence And then a little more');
    expect(r.chunks.length).toBe(r.done.chunks);
  });

  it('speaks a complete sentence before the rest of the text arrives', async () => {
    sock.send({ type: 'speak', id: 'early', text: 'The first sentence is complete. The second one', voice, final: false });
    expect(await sock.nextText()).toMatchObject({ type: 'start', id: 'early' });
    const first = await sock.next();
    expect(first.kind).toBe('binary'); // audio of sentence one while sentence two is still open
    sock.send({ type: 'speak', id: 'early', text: ' is not, yet.', voice, final: true });
    const r = checkRequest([{ kind: 'text', msg: { type: 'start', id: 'early' } }, first, ...(await sock.untilEnd('early'))], 'early');
    expect(r.words.map((w) => w.text).join(' ')).toBe('The first sentence is complete The second one is not yet');
  });

  it('cancels mid-stream and stays usable', async () => {
    sock.send({ type: 'speak', id: 'long', text: `${PARAGRAPH} ${PARAGRAPH} ${PARAGRAPH}`, voice });
    const start = await sock.nextText();
    expect(start).toMatchObject({ type: 'start', id: 'long' });
    const first = await sock.next();
    expect(first.kind).toBe('binary');
    sock.send({ type: 'cancel', id: 'long' });
    const frames = await sock.untilEnd('long');
    const end = frames[frames.length - 1]!;
    expect(end.kind === 'text' && end.msg).toEqual({ type: 'cancelled', id: 'long' });
    sock.send({ type: 'ping', t: 'after-cancel' });
    expect(await sock.nextText()).toEqual({ type: 'pong', t: 'after-cancel' });
  });

  it('lets another socket in the isolate finish while a long request streams', async () => {
    const other = await openSocket();
    try {
      sock.send({ type: 'speak', id: 'long2', text: `${PARAGRAPH} ${PARAGRAPH} ${PARAGRAPH}`, voice });
      expect(await sock.nextText()).toMatchObject({ type: 'start', id: 'long2' });
      other.send({ type: 'speak', id: 'short', text: 'Me too.', voice });
      const short = await other.untilEnd('short');
      checkRequest(short, 'short');
      const long = await sock.untilEnd('long2');
      // The short request finished while the long one was still streaming: long audio arrived after short's done.
      const shortDone = short[short.length - 1]!.order!;
      expect(long.filter((f) => f.kind === 'binary' && f.order! > shortDone).length).toBeGreaterThan(10);
    } finally {
      other.close();
    }
  });

  it('answers ping with pong', async () => {
    sock.send({ type: 'ping', t: 42 });
    expect(await sock.nextText()).toEqual({ type: 'pong', t: 42 });
    sock.send({ type: 'ping' });
    expect(await sock.nextText()).toEqual({ type: 'pong' });
  });

  it('finishes empty text cleanly', async () => {
    sock.send({ type: 'speak', id: 'empty', text: ' ... ', voice });
    const frames = await sock.untilEnd('empty');
    expect(frames.map((f) => f.kind === 'text' && f.msg.type)).toEqual(['start', 'done']);
  });
});
