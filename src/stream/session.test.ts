import { describe, expect, it } from 'vitest';
import { Istft } from '../audio';
import type { TextChunk } from '../text';
import { StreamRequestError, StreamSession, type StreamSessionDeps } from './session';
import type { StreamSynthesizer } from './synthesize';

// Session bookkeeping (queue, cancel, incremental text, errors) in Node. The synthesizer here is a stand-in that
// makes silence of a fixed length per id; real audio is tested in workerd with the real models (test/).
const HOP = 256;
const silence: StreamSynthesizer = {
  sampleRate: 22050,
  hop: HOP,
  istft: new Istft({ nFft: 1024, hop: HOP }),
  acoustic: async (ids) => {
    const durations = Int32Array.from(ids, () => 4);
    const frames = ids.length * 4;
    return { durations, features: new Float32Array(frames), frames };
  },
  vocode: async (_f, _n, first, last) => {
    const stride = last - first + 1;
    return { re: new Float32Array(513 * stride), im: new Float32Array(513 * stride), stride, firstFrame: first };
  },
};

const chunkOf = (text: string): TextChunk => {
  const words: TextChunk['words'] = [];
  for (const m of text.matchAll(/\S+/g)) words.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return { text, words };
};

function harness(overrides: Partial<StreamSessionDeps> = {}) {
  const out: ({ type: string } & Record<string, unknown>)[] = [];
  const session = new StreamSession({
    sendText: (t) => out.push(JSON.parse(t)),
    sendBinary: (f) => out.push({ type: 'audio', seq: new DataView(f.buffer).getUint32(0, true) }),
    resolveVoice: async (spec) => {
      if (spec !== 'v') throw new StreamRequestError('unknown_voice', `unknown voice "${spec}"`);
      return new Float32Array(4);
    },
    synthesizer: async () => silence,
    planChunks: (text) => (text.trim() ? text.split('.').filter((s) => s.trim()).map((s) => chunkOf(s.trim())) : []),
    createChunker: () => {
      let buf = '';
      return { push: (t: string, final: boolean) => ((buf += t), final ? [chunkOf(buf.trim())] : []) };
    },
    phonemize: (chunk) => ({ ids: [1, ...chunk.words.map(() => 20), 2], wordIds: chunk.words.map((_, i) => ({ word: i, start: i + 1, end: i + 2 })) }),
    limits: { maxTextChars: 100, maxQueued: 2, requestsPerMinute: 100 },
    ...overrides,
  });
  const until = async (pred: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 1));
    expect(pred()).toBe(true);
  };
  const send = (m: unknown): void => session.onMessage(JSON.stringify(m));
  return { out, session, send, until, types: () => out.map((m) => (m.id ? `${m.type}:${m.id}` : m.type)) };
}

describe('StreamSession', () => {
  it('cancels a queued request without starting it', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'One two three. Four five.', voice: 'v' });
    h.send({ type: 'speak', id: 'b', text: 'Six.', voice: 'v' });
    h.send({ type: 'cancel', id: 'b' });
    await h.until(() => h.out.some((m) => m.type === 'done'));
    const t = h.types().filter((x) => x !== 'audio' && !x.startsWith('words'));
    expect(t).toEqual(['cancelled:b', 'start:a', 'done:a']);
  });

  it('cancels an incremental request waiting for text', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hello', voice: 'v', final: false });
    await h.until(() => h.types().includes('start:a'));
    h.send({ type: 'cancel', id: 'a' });
    await h.until(() => h.types().includes('cancelled:a'));
    h.send({ type: 'speak', id: 'a', text: 'again', voice: 'v' });
    await h.until(() => h.out.length > 2);
    expect(h.out.at(-1)).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
  });

  it('waits for final text, then speaks it all', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hello ', voice: 'v', final: false });
    h.send({ type: 'speak', id: 'a', text: 'world', voice: 'v', final: true });
    await h.until(() => h.types().includes('done:a'));
    const words = h.out.filter((m) => m.type === 'words').flatMap((m) => m.words as { text: string }[]);
    expect(words.map((w) => w.text)).toEqual(['Hello', 'world']);
    const seqs = h.out.filter((m) => m.type === 'audio').map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(h.out.at(-1)).toMatchObject({ type: 'done', chunks: seqs.length });
  });

  it('counts incremental text against the limit and ends only that request', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'x'.repeat(60), voice: 'v', final: false });
    h.send({ type: 'speak', id: 'a', text: 'y'.repeat(60), voice: 'v', final: false });
    await h.until(() => h.types().includes('error:a'));
    expect(h.out.at(-1)).toMatchObject({ code: 'text_too_long' });
    h.send({ type: 'ping', t: 1 });
    expect(h.out.at(-1)).toEqual({ type: 'pong', t: 1 });
  });

  it('a malformed duplicate of a running request does not end it', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'One two three.', voice: 'v' });
    h.send({ type: 'speak', id: 'a', text: 'x', voice: 'v', speed: 9 });
    await h.until(() => h.types().includes('done:a'));
    expect(h.out[0]).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
  });

  it('a malformed continuation ends its incremental request', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hello', voice: 'v', final: false });
    await h.until(() => h.types().includes('start:a'));
    h.send({ type: 'speak', id: 'a', text: 7, voice: 'v' });
    await h.until(() => h.types().includes('error:a'));
    expect(h.types().filter((t) => t.endsWith(':a'))).toEqual(['start:a', 'error:a']);
  });

  it('reports voice errors without a start and sends nothing after close', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hi.', voice: 'nobody' });
    await h.until(() => h.out.length === 1);
    expect(h.out[0]).toMatchObject({ type: 'error', id: 'a', code: 'unknown_voice' });
    h.send({ type: 'speak', id: 'b', text: 'One two three four five six seven eight.', voice: 'v' });
    h.session.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.out.length).toBe(1);
  });
});
