import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Istft } from '../src/audio';
import { OpusStreamEncoder } from '../src/audio/opus';
import { workerOpusRuntime } from '../src/audio/opus/wasm-module';
import { createApp } from '../src/http';
import { phonemizeChunk } from '../src/phonemes';
import { StreamRequestError, StreamSession, type StreamSynthesizer } from '../src/stream';
import { standInVocoder } from '../src/stream/session-harness';
import { IncrementalChunker, planChunks } from '../src/text';
import { ContractChecker } from './hardening-check';
import { authHeaders, TestSocket, testToken } from './helpers';

// Property-based fuzzing of the WebSocket and HTTP inputs (fixed seeds, bounded runs: ~20 s in CI). Every input gets
// a valid response or a typed `error`, the socket stays usable after recoverable errors, no exception escapes.
const SEED = 20261124;
let V = 'joe';

// ---- generators -------------------------------------------------------------------------------------------------
const EDGE_TEXT = [
  '', ' ', '...', '\u0000', '\uD800', 'a\uDC00b', '👩‍👩‍👧‍👦 family', 'e\u0301 café', '\u202Eevil\u202C', 'ﷺ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u200B\u200B', 'x'.repeat(700), 'Hello world.', '$4.50 at 3:30pm on 1/2/2025, 1e309 %', 'A.B.C. Mr. Dr. St.', '\n\t\r', '<b>&amp;</b>',
];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...EDGE_TEXT),
);
const voiceSpec = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(V) },
    fc.constantFrom('nobody', '', `${V}:-1`, `${V}:0`, `${V}:0.5,nobody:0.5`, `${V}:1e999`, `${V}:abc`, `${V}:0.7,${V}:0.3`, 'a,'.repeat(20), `${V}:-0.5,${V}:1.5`),
    fc.string({ maxLength: 20 }),
  );
const ids = ['a', 'b', 'c', '', 'ü', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(300), 'y'.repeat(100_000)];
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: fc.anything() });
const speak = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(
    {
      type: fc.constant('speak'),
      id: maybe(fc.constantFrom(...ids)),
      text: maybe(text),
      voice: maybe(voiceSpec()),
      format: maybe(fc.oneof({ weight: 4, arbitrary: fc.constant('pcm16') }, { weight: 3, arbitrary: fc.constant('opus') }, fc.constantFrom('mp3', 'PCM16', 'OPUS'))),
      bitrate: maybe(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 16000, max: 32000 }) }, fc.constantFrom(15999, 32001, 24000.5, 0))),
      resumeFrom: maybe(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }) }, fc.constantFrom(-1, 1.5, 1e9))),
      ack: maybe(fc.boolean()),
      wordsAfterMs: maybe(fc.oneof(fc.integer({ min: -10, max: 5000 }), fc.double())),
      sampleRate: maybe(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(22050, 16000, 24000, 48000) }, fc.constantFrom(44100, 0, -1, 1e308))),
      speed: maybe(fc.oneof({ weight: 5, arbitrary: fc.double({ min: 0.5, max: 2, noNaN: true }) }, fc.double(), fc.constantFrom(0.49, 2.01))),
      chunkMs: maybe(fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 20, max: 1000 }) }, fc.integer(), fc.constantFrom(19, 1001))),
      final: maybe(fc.boolean()),
    },
    { requiredKeys: ['type', 'id', 'text', 'voice'] },
  );
/** Well-formed requests in random combinations of format and the extensions, so those paths run, not just fail. */
const validSpeak = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(
    {
      type: fc.constant('speak'),
      id: fc.constantFrom(...ids.slice(0, 4)),
      text: fc.constantFrom('Hello world.', 'One, two. Three?', '$4.50 at 3:30pm.', 'Hi'),
      voice: fc.constant(V).map(() => V),
      format: fc.constantFrom('pcm16', 'opus'),
      chunkMs: fc.integer({ min: 20, max: 300 }),
      resumeFrom: fc.integer({ min: 0, max: 12 }),
      ack: fc.boolean(),
      final: fc.boolean(),
    },
    { requiredKeys: ['type', 'id', 'text', 'voice', 'format'] },
  ).map((m) => (m.format === 'opus' && m.id !== 'c' ? { ...m, bitrate: 16000 + (m.chunkMs as number) * 50 } : m));
const frame = (): fc.Arbitrary<string | ArrayBuffer> =>
  fc.oneof(
    { weight: 6, arbitrary: speak().map((m) => JSON.stringify(m)) },
    { weight: 3, arbitrary: validSpeak().map((m) => JSON.stringify(m)) },
    {
      weight: 3,
      arbitrary: fc
        .record(
          { type: fc.constantFrom('cancel', 'ping', 'ack', 'sing', 5, null, 'SPEAK'), id: maybe(fc.constantFrom(...ids)), t: fc.jsonValue(), seq: maybe(fc.integer({ min: -2, max: 50 })) },
          { requiredKeys: ['type'] },
        )
        .map((m) => JSON.stringify(m)),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 50 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => b.slice().buffer as ArrayBuffer) },
    { weight: 1, arbitrary: fc.constantFrom(`{"type":"speak","id":"h","voice":"${V}","text":"${'a '.repeat(60_000)}"}`, '['.repeat(50_000), '{"type":"ping","t":' + '9'.repeat(400) + '}') },
  );

// ---- the session in-process (real text front end, silent stand-in model): many runs -----------------------------
const HOP = 256;
const silence: StreamSynthesizer = {
  sampleRate: 22050,
  hop: HOP,
  istft: new Istft({ nFft: 1024, hop: HOP }),
  acoustic: async (ids) => ({ durations: Int32Array.from(ids, () => 2), features: new Float32Array(ids.length * 2), frames: ids.length * 2 }),
  vocoder: standInVocoder(),
};

function sessionHarness() {
  const check = new ContractChecker();
  const internal: string[] = [];
  const session = new StreamSession({
    sendText: (t) => void check.text(t),
    sendBinary: (f) => check.binary(new DataView(f.buffer, f.byteOffset).getUint32(0, true)),
    resolveVoice: async (spec) => {
      // The real blend parser decides what is malformed; the stand-in knows one voice.
      const { parseBlend } = await import('../src/voices');
      let parts;
      try {
        parts = parseBlend(spec);
      } catch (err) {
        throw new StreamRequestError('bad_request', (err as Error).message);
      }
      if (parts.some((p) => p.id !== V)) throw new StreamRequestError('unknown_voice', 'unknown voice');
      return new Float32Array(4);
    },
    synthesizer: async () => silence,
    planChunks,
    createChunker: () => new IncrementalChunker(),
    phonemize: phonemizeChunk,
    opusEncoder: (bitrate) => new OpusStreamEncoder(workerOpusRuntime(), { bitrate }),
    // A short window and patience: fuzzed `ack: true` requests that never acknowledge end with slow_consumer quickly.
    limits: { maxTextChars: 600, maxQueued: 3, requestsPerMinute: 1_000_000, ackWindowMs: 500, slowConsumerMs: 50 },
    log: (m) => internal.push(m),
  });
  return { check, session, internal };
}

const settle = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every string id the frames name (to cancel whatever they left open, e.g. an incremental request). */
function idsIn(frames: (string | ArrayBuffer)[]): string[] {
  const out = new Set(ids);
  for (const f of frames) {
    try {
      const m = typeof f === 'string' ? (JSON.parse(f) as { id?: unknown }) : undefined;
      if (typeof m?.id === 'string') out.add(m.id);
    } catch {
      // not JSON
    }
  }
  return [...out];
}

describe('ContractChecker (the fuzz oracle) catches violations', () => {
  it.each([
    { name: 'binary outside a request', run: (c: ContractChecker) => c.binary(0) },
    { name: 'gap in sequence numbers', run: (c: ContractChecker) => (c.text({ type: 'start', id: 'a', format: 'pcm16', sampleRate: 22050, channels: 1 }), c.binary(1)) },
    { name: 'unknown error code', run: (c: ContractChecker) => c.text({ type: 'error', id: null, code: 'oops', message: '' }) },
    { name: 'done with wrong count', run: (c: ContractChecker) => (c.text({ type: 'start', id: 'a', format: 'pcm16', sampleRate: 22050, channels: 1 }), c.text({ type: 'done', id: 'a', chunks: 2, audioMs: 1, firstAudioMs: 0, totalMs: 1 })) },
    { name: 'message after done', run: (c: ContractChecker) => (c.text({ type: 'start', id: 'a', format: 'pcm16', sampleRate: 22050, channels: 1 }), c.text({ type: 'done', id: 'a', chunks: 0, audioMs: 0, firstAudioMs: 0, totalMs: 1 }), c.text({ type: 'cancelled', id: 'a' })) },
    { name: 'not JSON', run: (c: ContractChecker) => c.text('{') },
    { name: 'resumed request starting at chunk 0', run: (c: ContractChecker) => (c.text({ type: 'start', id: 'a', format: 'pcm16', sampleRate: 22050, channels: 1, resumeFrom: 3 }), c.binary(0)) },
    { name: 'opus start without decoding info', run: (c: ContractChecker) => c.text({ type: 'start', id: 'a', format: 'opus', sampleRate: 48000, channels: 1 }) },
  ])('$name', ({ run }) => {
    expect(() => run(new ContractChecker())).toThrow(/protocol violation/);
  });
});

describe('fuzz: protocol session in-process', () => {
  it('answers every frame per contract and stays usable', async () => {
    const starts: ContractChecker['starts'] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(frame(), { maxLength: 12 }), async (frames) => {
        const { check, session, internal } = sessionHarness();
        for (const f of frames) {
          session.onMessage(f); // must not throw
          await settle();
        }
        for (const id of idsIn(frames)) session.onMessage(JSON.stringify({ type: 'cancel', id }));
        session.onMessage(JSON.stringify({ type: 'ping', t: 'end' }));
        session.onMessage(JSON.stringify({ type: 'speak', id: 'final-check', text: 'Still here.', voice: V }));
        for (let i = 0; i < 400 && !check.done.some((d) => d.id === 'final-check'); i++) await settle(5);
        expect(check.done.some((d) => d.id === 'final-check')).toBe(true);
        expect(check.errors.filter((e) => e.code === 'internal')).toEqual([]);
        expect(internal).toEqual([]);
        session.close();
        starts.push(...check.starts);
      }),
      { seed: SEED, numRuns: 150, endOnFailure: true },
    );
    // The generators reached the extensions: Opus requests and resumed requests ran, not just their errors.
    console.log(`in-process fuzz: ${starts.length} starts, ${starts.filter((st) => st.format === 'opus').length} Opus, ${starts.filter((st) => st.resumeFrom > 0).length} resumed`);
    expect(starts.filter((st) => st.format === 'opus').length).toBeGreaterThan(5);
    expect(starts.filter((st) => st.resumeFrom > 0).length).toBeGreaterThan(5);
  });
});

// ---- the real worker (real models) over WebSocket and HTTP: fewer runs ----------------------------------------------
const app = createApp();
// Own subject and generous limits, so the fuzzer exercises parsing, not the rate limiter.
const fuzzEnv = { ...env, MAX_SOCKETS_PER_TOKEN: '1000', AUDIO_SECONDS_PER_MINUTE: '100000', REQUESTS_PER_MINUTE: '100000' } as unknown as Env;
let IP: Record<string, string> = {};

beforeAll(async () => {
  // One subject for the fuzzer, allowed to write voices (the PUT fuzzing needs it).
  IP = await authHeaders('fuzz', ['voices:write']);
  const { voices } = (await (await app.request('/v1/voices', { headers: IP }, fuzzEnv)).json()) as { voices: { id: string }[] };
  V = voices[0]!.id;
});

/** The body as a string (Content-Length) or as a stream of random pieces (chunked: no Content-Length). */
const bodyEncoding = fc.oneof(fc.constant(undefined), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 6 }));
function encodeBody(text: string, pieces: number[] | undefined): BodyInit {
  if (pieces === undefined) return text;
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let at = 0;
      for (let i = 0; at < bytes.length; i++) {
        const n = pieces[i % pieces.length]!;
        controller.enqueue(bytes.slice(at, at + n));
        at += n;
      }
      controller.close();
    },
  });
}

async function drainUntilPong(sock: TestSocket, check: ContractChecker, t: string): Promise<void> {
  for (;;) {
    const f = await sock.next(60_000);
    if (f.kind === 'binary') check.binary(f.seq);
    else if (check.text(f.msg).type === 'pong' && f.msg.t === t) return;
  }
}

describe('fuzz: the worker over WebSocket', () => {
  it('answers every frame per contract, never closes, stays usable', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame(), { maxLength: 6 }), async (frames) => {
        run++;
        const res = await app.request('/v1/stream', { headers: { Upgrade: 'websocket', ...IP } }, fuzzEnv);
        expect(res.status).toBe(101);
        const sock = new TestSocket(res.webSocket!);
        const check = new ContractChecker();
        try {
          for (const f of frames) sock.ws.send(f);
          for (const id of idsIn(frames)) sock.send({ type: 'cancel', id });
          sock.send({ type: 'ping', t: `end-${run}` });
          await drainUntilPong(sock, check, `end-${run}`);
          sock.send({ type: 'speak', id: `ok-${run}`, text: 'Okay.', voice: V });
          while (!check.done.some((d) => d.id === `ok-${run}`)) {
            const f = await sock.next(60_000);
            if (f.kind === 'binary') check.binary(f.seq);
            else check.text(f.msg);
          }
          expect(sock.closed).toBe(false);
          expect(check.errors.filter((e) => e.code === 'internal')).toEqual([]);
        } finally {
          sock.close();
        }
      }),
      { seed: SEED, numRuns: 25, endOnFailure: true },
    );
  });
});

describe('fuzz: the worker over HTTP', () => {
  const errorShape = async (res: Response): Promise<void> => {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code).toBe('string');
    expect(typeof body.error?.message).toBe('string');
  };

  it('POST /v1/audio/speech: audio or a typed 4xx, never 5xx', async () => {
    const body = fc.oneof(
      fc
        .record(
          { model: maybe(fc.constant('tts-1')), input: maybe(text), voice: maybe(voiceSpec()), response_format: maybe(fc.constantFrom('wav', 'pcm', 'mp3')), speed: maybe(fc.double()), sample_rate: maybe(fc.constantFrom(16000, 24000, 8000)) },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(body, bodyEncoding, async (b, pieces) => {
        const res = await app.request('/v1/audio/speech', { method: 'POST', headers: IP, body: encodeBody(b, pieces) }, fuzzEnv);
        expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
        if (res.status === 200) await res.arrayBuffer();
        else await errorShape(res);
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
  });

  it('PUT /v1/voices/:id: stored or a typed 4xx, never 5xx', async () => {
    const id = fc.oneof(fc.constantFrom('fuzz-voice', 'a', '_x', '.x', '%2e%2e', 'x'.repeat(80)), fc.string({ maxLength: 10 }).map(encodeURIComponent));
    const embedding = fc.oneof(
      fc.array(fc.double(), { minLength: 60, maxLength: 70 }),
      fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 64, maxLength: 64 }),
      fc.anything(),
    );
    const body = fc.oneof(
      fc.record({ name: maybe(fc.string({ maxLength: 10 })), language: maybe(fc.constantFrom('en-US', 'xx', 'English', '')), embedding }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(id, body, bodyEncoding, async (i, b, pieces) => {
        const res = await app.request(`/v1/voices/${i}`, { method: 'PUT', headers: IP, body: encodeBody(b, pieces) }, fuzzEnv);
        expect([200, 201, 400, 404, 405, 413]).toContain(res.status);
        if (res.status >= 400 && res.status !== 404 && res.status !== 405) await errorShape(res);
        if (res.status < 300) expect((await app.request(`/v1/voices/${i}`, { method: 'DELETE', headers: IP }, fuzzEnv)).status).toBe(204);
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
  });

  it('any Authorization header or token parameter: 200 for a valid token, else a typed 401, never 5xx', async () => {
    const valid = await testToken('fuzz');
    const junk = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
      fc.integer({ min: 1, max: 20_000 }).map((n) => `v1.${'A'.repeat(n)}.AAAA`),
      fc.nat({ max: valid.length - 1 }).chain((at) => fc.string({ minLength: 1, maxLength: 1 }).map((ch: string) => valid.slice(0, at) + ch + valid.slice(at + 1))),
      fc.constant(valid),
    );
    await fc.assert(
      fc.asyncProperty(junk, fc.boolean(), async (t, inQuery) => {
        // Headers cannot carry control characters: those go in the query.
        const res = inQuery || /[^\x20-\x7e]/.test(t)
          ? await app.request(`/v1/voices?token=${encodeURIComponent(t)}`, {}, fuzzEnv)
          : await app.request('/v1/voices', { headers: { Authorization: `Bearer ${t}` } }, fuzzEnv);
        // Tokens are canonical base64url: no other spelling of the valid token verifies.
        expect(res.status).toBe(t === valid ? 200 : 401);
        if (res.status === 401) await errorShape(res);
        else await res.arrayBuffer();
      }),
      { seed: SEED, numRuns: 80, endOnFailure: true },
    );
  });
});
