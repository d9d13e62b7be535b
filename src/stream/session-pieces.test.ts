import { describe, expect, it } from 'vitest';
import { MAX_ID_CHARS } from '../protocol';
import { harness } from './session-harness';

// Later pieces of incremental requests, id limits and what error replies repeat of the client's input.
describe('StreamSession incremental pieces', () => {
  it('later pieces need only id, text and final', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hello ', voice: 'v', speed: 1.5, final: false });
    h.send({ type: 'speak', id: 'a', text: 'there ', final: false });
    h.send({ type: 'speak', id: 'a', text: 'world', speed: 1.5, voice: 'v', final: true });
    await h.until(() => h.types().includes('done:a'));
    expect(h.out.filter((m) => m.type === 'error')).toEqual([]);
    const words = h.out.filter((m) => m.type === 'words').flatMap((m) => m.words as { text: string }[]);
    expect(words.map((w) => w.text)).toEqual(['Hello', 'there', 'world']);
  });

  it('a later piece that changes an option ends the request with bad_request; the socket goes on', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hello', voice: 'v', final: false });
    await h.until(() => h.types().includes('start:a'));
    h.send({ type: 'speak', id: 'a', text: ' world', format: 'opus', final: true });
    await h.until(() => h.types().includes('error:a'));
    expect(h.out.at(-1)).toMatchObject({ type: 'error', id: 'a', code: 'bad_request', message: expect.stringMatching(/^format cannot change/) });
    h.send({ type: 'speak', id: 'b', text: 'Next one.', voice: 'v' });
    await h.until(() => h.types().includes('done:b'));
  });

  it('a queued incremental request with a changed option is ended before it starts', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'One two three four five.', voice: 'v' });
    h.send({ type: 'speak', id: 'b', text: 'Hello', voice: 'v', final: false });
    h.send({ type: 'speak', id: 'b', text: ' again', voice: 'w', final: true });
    await h.until(() => h.types().includes('done:a'));
    expect(h.types().filter((t) => t.endsWith(':b'))).toEqual(['error:b']);
  });

  it('a first piece without voice is refused', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hello', final: false });
    expect(h.out).toEqual([expect.objectContaining({ type: 'error', id: 'a', code: 'bad_request' })]);
  });
});

describe('StreamSession ids', () => {
  it('refuses an over-long id with id null and keeps nothing of it', async () => {
    const h = harness();
    const long = 'i'.repeat(MAX_ID_CHARS + 1);
    h.send({ type: 'speak', id: long, text: 'Hi.', voice: 'v' });
    expect(h.out).toHaveLength(1);
    expect(h.out[0]).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
    expect(JSON.stringify(h.out[0]).length).toBeLessThan(200);
  });

  it('a refused request leaves its id free; an accepted one keeps it taken', async () => {
    const h = harness();
    h.send({ type: 'speak', id: 'a', text: 'Hi.', voice: 'v', speed: 7 });
    h.send({ type: 'speak', id: 'a', text: 'x'.repeat(301), voice: 'v' });
    h.send({ type: 'speak', id: 'a', text: 'Hi.', voice: 'v' });
    await h.until(() => h.types().includes('done:a'));
    h.send({ type: 'speak', id: 'a', text: 'Again.', voice: 'v' });
    expect(h.out.at(-1)).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
  });

  it('error replies quote ids and voices by a short prefix only', async () => {
    const h = harness();
    const id = 'k'.repeat(MAX_ID_CHARS);
    h.send({ type: 'speak', id, text: 'Hi.', voice: 'v' });
    await h.until(() => h.types().includes(`done:${id}`));
    h.send({ type: 'speak', id, text: 'Hi.', voice: 'v' }); // reused
    h.send({ type: 'cancel', id: `${id.slice(1)}z` }); // nothing open
    h.send({ type: 'speak', id: 'n', text: 'Hi', voice: 'v', final: false });
    h.send({ type: 'speak', id: 'n', text: '!', voice: 'x'.repeat(5000) }); // changed voice
    await h.until(() => h.types().includes('error:n'));
    const errors = h.out.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(3);
    for (const e of errors) expect((e.message as string).length).toBeLessThan(200);
  });
});

describe('StreamSession word timings', () => {
  it('lists a token read as several words once, with its written text', async () => {
    // "It costs $3.50": the front end reads "$3.50" as words that all share its span (9..14).
    const text = 'It costs $3.50';
    const span = (w: string, start: number, end: number) => ({ text: w, start, end });
    const h = harness({
      planChunks: () => [{ text: 'it costs three dollars and fifty cents', words: [span('it', 0, 2), span('costs', 3, 8), ...['three', 'dollars', 'and', 'fifty', 'cents'].map((w) => span(w, 9, 14))] }],
    });
    h.send({ type: 'speak', id: 'a', text, voice: 'v' });
    await h.until(() => h.types().includes('done:a'));
    const words = h.out.filter((m) => m.type === 'words').flatMap((m) => m.words as { text: string; startMs: number; endMs: number }[]);
    expect(words.map((w) => w.text)).toEqual(['It', 'costs', '$3.50']);
    // Five spoken words of 4 frames each (the stand-in's durations), from the end of "costs".
    expect(words[2]!.startMs).toBe(words[1]!.endMs);
    expect(Math.abs(words[2]!.endMs - words[2]!.startMs - (5 * 4 * 256 * 1000) / 22050)).toBeLessThanOrEqual(1);
  });

  it('sends the last token spoken so far while an incremental request waits for more text', async () => {
    const h = harness({
      createChunker: () => {
        let at = 0;
        return {
          push: (t: string) => {
            const words = [...t.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: at + m.index, end: at + m.index + m[0].length }));
            at += t.length;
            return words.length > 0 ? [{ text: t.trim(), words }] : [];
          },
        };
      },
    });
    h.send({ type: 'speak', id: 'a', text: 'Hello', voice: 'v', chunkMs: 20, final: false });
    await h.until(() => h.out.some((m) => m.type === 'words'));
    expect(h.out.filter((m) => m.type === 'words').flatMap((m) => m.words as { text: string }[]).map((w) => w.text)).toEqual(['Hello']);
    h.send({ type: 'speak', id: 'a', text: ' world', final: true });
    await h.until(() => h.types().includes('done:a'));
  });
});
