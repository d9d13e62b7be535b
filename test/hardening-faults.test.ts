import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Istft } from '../src/audio';
import { createApp } from '../src/http';
import { getRuntime } from '../src/http/runtime';
import { phonemizeChunk } from '../src/phonemes';
import { StreamSession, type StreamSynthesizer } from '../src/stream';
import { standInVocoder } from '../src/stream/session-harness';
import { IncrementalChunker, planChunks } from '../src/text';
import { VoiceError, VoiceRegistry, type Voice, type VoicesKv } from '../src/voices';
import { ContractChecker } from './hardening-check';
import { authHeaders, checkRequest, TestSocket } from './helpers';

// Faults: model load failure, KV unavailable, client disconnect mid-stream, a client that never reads.
const PARAGRAPH = 'The old lighthouse stood at the edge of the cliff, its lamp long dark. Every evening the keeper climbed the stairs anyway, counting each step out loud. Nobody knew why, and he never said.';
const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function session(synthesizer: () => Promise<StreamSynthesizer>) {
  const check = new ContractChecker();
  let sent = 0;
  const s = new StreamSession({
    sendText: (t) => (sent++, void check.text(t)),
    sendBinary: (f) => (sent++, check.binary(new DataView(f.buffer, f.byteOffset).getUint32(0, true))),
    resolveVoice: async () => new Float32Array(64),
    synthesizer,
    planChunks,
    createChunker: () => new IncrementalChunker(),
    phonemize: phonemizeChunk,
    limits: { maxTextChars: 5000, maxQueued: 4, requestsPerMinute: 1000, ackWindowMs: 10_000, slowConsumerMs: 15_000 },
    log: () => undefined,
  });
  const send = (m: unknown): void => s.onMessage(JSON.stringify(m));
  const until = async (pred: () => boolean, ms = 60_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!pred() && Date.now() < end) await settle(5);
    expect(pred()).toBe(true);
  };
  return { s, check, send, until, sent: () => sent };
}

const silence: StreamSynthesizer = {
  sampleRate: 22050,
  hop: 256,
  istft: new Istft({ nFft: 1024, hop: 256 }),
  acoustic: async (ids) => ({ durations: Int32Array.from(ids, () => 2), features: new Float32Array(ids.length * 2), frames: ids.length * 2 }),
  vocoder: standInVocoder(),
};

describe('fault: the model fails to load', () => {
  it('ends that request with a typed internal error; the socket stays usable and the next request retries the load', async () => {
    let loads = 0;
    const h = session(async () => {
      loads++;
      if (loads === 1) throw new Error('model load failed: out of memory');
      return silence;
    });
    h.send({ type: 'speak', id: 'a', text: 'Hello there.', voice: 'v' });
    await h.until(() => h.check.errors.length === 1);
    expect(h.check.errors[0]).toMatchObject({ id: 'a', code: 'internal' });
    h.send({ type: 'ping', t: 1 });
    h.send({ type: 'speak', id: 'b', text: 'Hello again.', voice: 'v' });
    await h.until(() => h.check.done.some((d) => d.id === 'b'));
    expect(loads).toBe(2);
  });
});

describe('fault: KV unavailable', () => {
  const bundled: Voice = { meta: { id: 'joe', name: 'Joe', language: 'en-US', sampleRate: 22050, license: '', source: '', description: '' }, embedding: new Float32Array(4).fill(0.5) };
  const failing: VoicesKv = {
    get: (() => Promise.reject(new Error('KV: 503 service unavailable'))) as VoicesKv['get'],
    list: () => Promise.reject(new Error('KV: 503 service unavailable')),
  };

  it('falls back to the bundled voices for get, resolve, blends and list', async () => {
    const reg = new VoiceRegistry({ kv: failing, bundled: [bundled], dim: 4 });
    expect(Array.from(await reg.resolve('joe'))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect((await reg.resolve('joe:0.5,joe:0.5')).length).toBe(4);
    expect((await reg.list()).map((v) => v.id)).toEqual(['joe']);
    await expect(reg.resolve('kv_only_voice')).rejects.toMatchObject({ kind: 'unknown' });
    await expect(reg.resolve('kv_only_voice')).rejects.toBeInstanceOf(VoiceError);
  });

  it('serves a stale cached KV voice while KV is down, and reads KV again once it is back', async () => {
    let down = false;
    const bytes = new Float32Array([1, 0, 0, 0]).buffer;
    const kv: VoicesKv = {
      get: (async (key: string, type: string) => {
        if (down) throw new Error('KV down');
        if (key === 'voices/ann.json') return JSON.stringify({ id: 'ann', language: 'en', sampleRate: 22050 });
        if (key === 'voices/ann.bin' && type === 'arrayBuffer') return bytes;
        return null;
      }) as VoicesKv['get'],
      list: async () => ({ keys: [{ name: 'voices/ann.json' }], list_complete: true }),
    };
    const reg = new VoiceRegistry({ kv, bundled: [bundled], dim: 4, ttlMs: 0 });
    expect(Array.from(await reg.resolve('ann'))).toEqual([1, 0, 0, 0]);
    down = true;
    expect(Array.from(await reg.resolve('ann'))).toEqual([1, 0, 0, 0]);
    expect(Array.from(await reg.resolve('joe'))).toEqual([0.5, 0.5, 0.5, 0.5]);
    down = false;
    expect((await reg.list()).map((v) => v.id)).toEqual(['ann', 'joe']);
  });
});

describe('fault: the client disconnects mid-stream', () => {
  it('stops synthesis (no more model runs) and sends nothing after the close, with the real models', async () => {
    const runtime = getRuntime(env.VOICES)!;
    const real = await runtime.synthesizer();
    let runs = 0;
    const counted: StreamSynthesizer = {
      ...real,
      acoustic: (...a) => (runs++, real.acoustic(...a)),
      vocoder: (features, frames) => {
        const run = real.vocoder(features, frames);
        return { through: (last) => (runs++, run.through(last)) };
      },
    };
    const h = session(async () => counted);
    h.send({ type: 'speak', id: 'long', text: `${PARAGRAPH} ${PARAGRAPH} ${PARAGRAPH}`, voice: 'v' });
    await h.until(() => h.sent() >= 2); // start + first chunk
    h.s.close();
    const runsAtClose = runs;
    const sentAtClose = h.sent();
    await settle(1500);
    // At most the model call in flight at the close finishes.
    expect(runs - runsAtClose).toBeLessThanOrEqual(1);
    expect(h.sent()).toBe(sentAtClose);
  });

  it('the server sees the close: the socket slot is freed for the next connection', async () => {
    const app = createApp();
    const e = { ...env, MAX_SOCKETS_PER_TOKEN: '1' } as unknown as Env;
    const headers = { Upgrade: 'websocket', ...(await authHeaders('faults-close')) };
    const { voices } = (await (await app.request('/v1/voices', { headers }, e)).json()) as { voices: { id: string }[] };
    const res = await app.request('/v1/stream', { headers }, e);
    const sock = new TestSocket(res.webSocket!);
    sock.send({ type: 'speak', id: 'a', text: PARAGRAPH, voice: voices[0]!.id });
    expect((await sock.nextText()).type).toBe('start');
    expect((await sock.next()).kind).toBe('binary');
    sock.close();
    let status = 0;
    for (let i = 0; i < 100 && status !== 101; i++) {
      await settle(50);
      const again = await app.request('/v1/stream', { headers }, e);
      status = again.status;
      if (status === 101) {
        const s2 = new TestSocket(again.webSocket!);
        s2.send({ type: 'speak', id: 'b', text: 'Back again.', voice: voices[0]!.id });
        checkRequest(await s2.untilEnd('b'), 'b');
        s2.close();
      }
    }
    expect(status).toBe(101);
  });
});

describe('fault: a client that never reads', () => {
  it('is paced to real time once it is AUDIO_LEAD_SECONDS ahead, so the isolate never buffers more than that', async () => {
    const app = createApp();
    const e = { ...env, AUDIO_LEAD_SECONDS: '1' } as unknown as Env;
    const auth = await authHeaders('faults-never-reads');
    const { voices } = (await (await app.request('/v1/voices', { headers: auth }, e)).json()) as { voices: { id: string }[] };
    const res = await app.request('/v1/stream', { headers: { Upgrade: 'websocket', ...auth } }, e);
    const sock = new TestSocket(res.webSocket!);
    const t0 = Date.now();
    sock.send({ type: 'speak', id: 'p', text: PARAGRAPH, voice: voices[0]!.id });
    const r = checkRequest(await sock.untilEnd('p'), 'p');
    const audioMs = r.done.audioMs as number;
    expect(audioMs).toBeGreaterThan(4000);
    // Without pacing the model makes this audio several times faster than real time; paced, the last chunk cannot
    // leave before (audio - lead - the last sentence) has played.
    expect(Date.now() - t0).toBeGreaterThan(audioMs - 1000 - 4000);
    expect(r.done.totalMs as number).toBeGreaterThan(audioMs - 1000 - 4000);
    sock.close();
  });
});
