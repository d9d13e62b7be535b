import { describe, expect, it } from 'vitest';
import { harness, silence, standInVocoder } from './session-harness';
import type { StreamSynthesizer } from './synthesize';

// Session bookkeeping (queue, cancel, incremental text, errors) in Node, with the stand-in synthesizer of
// session-harness.ts.
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
    h.send({ type: 'speak', id: 'a', text: 'x'.repeat(160), voice: 'v', final: false });
    h.send({ type: 'speak', id: 'a', text: 'y'.repeat(160), voice: 'v', final: false });
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

// Audio that differs from frame to frame, so chunks of a resumed request can be compared byte for byte.
const patterned: StreamSynthesizer = {
  ...silence,
  vocoder: standInVocoder((frame, mag, stride, col) => {
    mag[(1 + (frame % 40)) * stride + col] = 20;
  }),
};

type Sent = { type: string } & Record<string, unknown>;
const audioOf = (out: Sent[]): { seq: number; bytes: number[] }[] => out.filter((m) => m.type === 'audio') as never;
const wordsOf = (out: Sent[]): { text: string; endMs: number }[] => out.filter((m) => m.type === 'words').flatMap((m) => m.words as never);
const TEXT = 'One two three four. Five six seven eight nine ten. Eleven twelve thirteen.';

describe('StreamSession resume (resumeFrom)', () => {
  it('sends only the chunks from resumeFrom, the same bytes as the first attempt, and only later words', async () => {
    const first = harness({ synthesizer: async () => patterned });
    first.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v' });
    await first.until(() => first.types().includes('done:a'));
    const all = audioOf(first.out);
    expect(all.length).toBeGreaterThan(6);
    expect(all[3]!.bytes).not.toEqual(all[4]!.bytes);

    const from = 4;
    const again = harness({ synthesizer: async () => patterned });
    again.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v', resumeFrom: from });
    await again.until(() => again.types().includes('done:a'));
    expect(again.out[0]).toMatchObject({ type: 'start', resumeFrom: from });
    expect(audioOf(again.out)).toEqual(all.slice(from));
    const done = first.out.at(-1);
    expect(again.out.at(-1)).toMatchObject({ type: 'done', chunks: done!.chunks, audioMs: done!.audioMs });
    // The words of the resumed request are exactly those ending after chunk 4 begins.
    const bytesBefore = all.slice(0, from).reduce((n, c) => n + c.bytes.length, 0);
    const resumeMs = (bytesBefore / 2 / 22050) * 1000;
    expect(wordsOf(again.out)).toEqual(wordsOf(first.out).filter((w) => w.endMs > resumeMs));
  });

  it('with wordsAfterMs, also re-sends words that ended before the resume point but after the client\'s last word', async () => {
    const first = harness({ synthesizer: async () => patterned });
    first.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v' });
    await first.until(() => first.types().includes('done:a'));
    const words = wordsOf(first.out);
    // The client has chunks 0..5 but lost the words message after word 1 (it travelled after the chunks).
    const again = harness({ synthesizer: async () => patterned });
    again.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v', resumeFrom: 6, wordsAfterMs: words[1]!.endMs });
    await again.until(() => again.types().includes('done:a'));
    expect(wordsOf(again.out)).toEqual(words.slice(2));
  });

  it('resumeFrom past what the text can produce is refused before start', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'One two.', voice: 'v', resumeFrom: 1000 });
    await h.until(() => h.types().includes('error:a'));
    expect(h.types()).toEqual(['error:a']);
    expect(h.out.at(-1)).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/past the end/) });
    h.send({ type: 'speak', id: 'b', text: 'One two.', voice: 'v', resumeFrom: 1 });
    await h.until(() => h.types().includes('done:b'));
    expect(h.types().slice(1, 2)).toEqual(['start:b']);
  });
});

describe('StreamSession flow control (ack)', () => {
  const flow = { maxTextChars: 300, maxQueued: 2, requestsPerMinute: 100, ackWindowMs: 200, slowConsumerMs: 150 };

  it('a client that stops acknowledging gets slow_consumer after the window, and the socket stays usable', async () => {
    const h = harness({ limits: flow });
    h.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v', ack: true, chunkMs: 40 });
    await h.until(() => h.types().includes('error:a'));
    expect(h.out.at(-1)).toMatchObject({ type: 'error', id: 'a', code: 'slow_consumer' });
    // In flight when it stopped: the window plus at most the chunk that crossed it.
    const sent = audioOf(h.out).reduce((n, c) => n + c.bytes.length, 0);
    expect((sent / 2 / 22050) * 1000).toBeLessThanOrEqual(200 + 40 + 1);
    h.send({ type: 'ping', t: 2 });
    expect(h.out.at(-1)).toEqual({ type: 'pong', t: 2 });
    h.send({ type: 'speak', id: 'b', text: 'One two.', voice: 'v' });
    await h.until(() => h.types().includes('done:b'));
  });

  it('a client that acknowledges as it reads gets everything', async () => {
    const h = harness({ limits: flow });
    const all = harness();
    all.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v', chunkMs: 40 });
    await all.until(() => all.types().includes('done:a'));
    const session = h.session;
    const onMessage = session.onMessage.bind(session);
    h.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v', ack: true, chunkMs: 40 });
    // Acknowledge every chunk a little later, as a slow but steady reader would.
    const timer = setInterval(() => {
      const last = audioOf(h.out).at(-1);
      if (last) onMessage(JSON.stringify({ type: 'ack', id: 'a', seq: last.seq }));
    }, 5);
    await h.until(() => h.types().includes('done:a'));
    clearInterval(timer);
    expect(audioOf(h.out)).toEqual(audioOf(all.out));
  });

  it('ignores acknowledgements for requests that are not running and rejects malformed ones', async () => {
    const h = harness();
    h.send({ type: 'ack', id: 'zzz', seq: 3 });
    expect(h.out).toEqual([]);
    h.send({ type: 'ack', id: 'zzz', seq: -1 });
    expect(h.out.at(-1)).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
  });
});

describe('StreamSession Opus', () => {
  it('groups encoder packets into chunks of ceil(chunkMs / 20), the first with what the first audio gave', async () => {
    // A stand-in for libopus (the real one is tested in src/audio/opus and in workerd): one 3-byte packet per 480 samples.
    let buffered = 0;
    const encoder = {
      preSkip: 312,
      bitrate: 24000,
      samplesIn: 0,
      push: (s: Float32Array) => {
        encoder.samplesIn += s.length;
        buffered += s.length;
        const n = Math.floor(buffered / 480);
        buffered -= n * 480;
        return Array.from({ length: n }, () => Uint8Array.of(1, 2, 3));
      },
      flush: () => (buffered > 0 ? ((buffered = 0), [Uint8Array.of(9)]) : []),
      free: () => undefined,
    };
    const h = harness({ opusEncoder: () => encoder });
    h.send({ type: 'speak', id: 'a', text: TEXT, voice: 'v', format: 'opus', chunkMs: 50 });
    await h.until(() => h.types().includes('done:a'));
    expect(h.out[0]).toMatchObject({ type: 'start', format: 'opus', sampleRate: 48000, opus: { frameMs: 20, preSkip: 312, bitrate: 24000 } });
    const chunks = audioOf(h.out);
    // [u16 length=3][1,2,3] per packet: 5 bytes each. The first vocoder window (7 frames = 1792 samples at 22050 Hz,
    // 1950 at 24 kHz) makes 4 whole packets; the first chunk carries as many as a chunk holds (3), not just one.
    expect(chunks[0]!.bytes).toEqual([3, 0, 1, 2, 3, 3, 0, 1, 2, 3, 3, 0, 1, 2, 3]);
    expect(chunks.slice(1, -1).every((c) => c.bytes.length === 15)).toBe(true);
    expect(chunks.at(-1)!.bytes.slice(-3)).toEqual([1, 0, 9]);
  });

  it('without an encoder, Opus requests get unsupported_format', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hi.', voice: 'v', format: 'opus' });
    await h.until(() => h.types().includes('error:a'));
    expect(h.out.at(-1)).toMatchObject({ code: 'unsupported_format' });
  });
});
