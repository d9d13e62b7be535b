import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, openSocket, type TestSocket, workerFetch } from './helpers';

// Text in pieces, word timings per written token, id limits and what error replies repeat, against the real worker
// and models (docs/protocol.md).
let voice = '';
let sock: TestSocket;

beforeAll(async () => {
  const res = await workerFetch('http://worker/v1/voices');
  voice = ((await res.json()) as { voices: { id: string }[] }).voices[0]!.id;
  sock = await openSocket();
});
afterAll(() => sock?.close());

/** After an error the socket must still serve a request. */
async function stillUsable(id: string): Promise<void> {
  sock.send({ type: 'speak', id, text: 'Okay.', voice });
  expect(checkRequest(await sock.untilEnd(id), id).chunks.length).toBeGreaterThan(0);
}

describe('text in pieces', () => {
  it('later pieces carry only id, text and final; the first piece\'s options hold for all', async () => {
    sock.send({ type: 'speak', id: 'p1', text: 'Pieces without a voice, ', voice, sampleRate: 16000, final: false });
    sock.send({ type: 'speak', id: 'p1', text: 'at the first piece\'s rate', final: false });
    sock.send({ type: 'speak', id: 'p1', text: ' till the end.', sampleRate: 16000, final: true });
    const frames = await sock.untilEnd('p1');
    expect(frames[0]!.kind === 'text' && frames[0]!.msg).toMatchObject({ type: 'start', sampleRate: 16000 });
    const r = checkRequest(frames, 'p1');
    expect(r.words.map((w) => w.text).join(' ')).toBe("Pieces without a voice at the first piece's rate till the end");
    const audioMs = (r.chunks.reduce((n, c) => n + c.length, 0) / 2 / 16000) * 1000;
    expect(Math.abs(audioMs - (r.done.audioMs as number))).toBeLessThan(2);
  });

  it.each([
    { option: 'format', value: 'opus' },
    { option: 'speed', value: 1.5 },
    { option: 'voice', value: 'someone-else' },
  ])('a later piece that changes $option ends the request with bad_request', async ({ option, value }) => {
    const id = `change-${option}`;
    sock.send({ type: 'speak', id, text: 'The first sentence is complete. And the', voice, final: false });
    sock.send({ type: 'speak', id, text: ' rest.', [option]: value, final: true });
    const frames = await sock.untilEnd(id);
    const end = frames.at(-1)!;
    expect(end.kind === 'text' && end.msg).toMatchObject({ type: 'error', id, code: 'bad_request', message: expect.stringContaining(`${option} cannot change`) });
    await stillUsable(`ok-${option}`);
  });
});

describe('word timings', () => {
  it('one entry per written token, spanning all its spoken words', async () => {
    const text = 'It costs $3.50, write to bob@example.org by 12/25/2024 (9am-5pm).';
    sock.send({ type: 'speak', id: 'w1', text, voice });
    const r = checkRequest(await sock.untilEnd('w1'), 'w1');
    expect(r.words.map((w) => w.text)).toEqual(['It', 'costs', '$3.50', 'write', 'to', 'bob@example.org', 'by', '12/25/2024', '9am-5pm']);
    let prevEnd = 0;
    for (const w of r.words) {
      expect(w.startMs).toBeGreaterThanOrEqual(prevEnd - 1);
      expect(w.endMs).toBeGreaterThan(w.startMs);
      prevEnd = w.endMs;
    }
    // "three dollars and fifty cents" and "bob at example dot org" take far longer than any one spoken word here.
    const ms = (t: string): number => r.words.find((w) => w.text === t)!.endMs - r.words.find((w) => w.text === t)!.startMs;
    expect(ms('$3.50')).toBeGreaterThan(2 * ms('costs'));
    expect(ms('bob@example.org')).toBeGreaterThan(2 * ms('costs'));
    expect(prevEnd).toBeLessThanOrEqual((r.done.audioMs as number) + 1);
  });
});

describe('ids and error replies', () => {
  it('an id over 128 characters is refused with id null, and the reply is short', async () => {
    const raw: string[] = [];
    const listen = (ev: MessageEvent): void => void (typeof ev.data === 'string' && raw.push(ev.data));
    sock.ws.addEventListener('message', listen);
    try {
      sock.send({ type: 'speak', id: 'i'.repeat(100_000), text: 'Hello.', voice });
      expect(await sock.nextText()).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
      expect(raw.at(-1)!.length).toBeLessThan(300);
      sock.send({ type: 'cancel', id: 'j'.repeat(129) });
      expect(await sock.nextText()).toMatchObject({ type: 'error', id: null, code: 'bad_request' });
      expect(raw.at(-1)!.length).toBeLessThan(300);
    } finally {
      sock.ws.removeEventListener('message', listen);
    }
    await stillUsable('ok-long-id');
  });

  it('an id of 128 characters is served', async () => {
    const id = 'k'.repeat(128);
    sock.send({ type: 'speak', id, text: 'Fine.', voice });
    expect(checkRequest(await sock.untilEnd(id), id).chunks.length).toBeGreaterThan(0);
  });

  // Frames are built in the test: `voice` is known only after beforeAll.
  it.each([
    { name: 'a long voice name', frame: (): Record<string, unknown> => ({ type: 'speak', id: 'e1', text: 'Hi.', voice: 'v'.repeat(50_000) }) },
    { name: 'a long blend', frame: () => ({ type: 'speak', id: 'e2', text: 'Hi.', voice: `${'v'.repeat(40)}:0.5,${'w'.repeat(60_000)}:0.5` }) },
    { name: 'a long format', frame: () => ({ type: 'speak', id: 'e3', text: 'Hi.', voice, format: 'f'.repeat(50_000) }) },
    { name: 'a long message type', frame: () => ({ type: 't'.repeat(50_000), id: 'e4' }) },
    { name: 'a long cancel id', frame: () => ({ type: 'cancel', id: 'c'.repeat(128) }) },
  ])('$name is quoted by a short prefix only', async ({ name, frame }) => {
    sock.send(frame());
    const err = await sock.nextText();
    expect(err.type).toBe('error');
    const message = err.message as string;
    expect(message).toMatch(/…/);
    expect(message).not.toMatch(/(.)\1{32}/); // no run of the input longer than the 32-character prefix
    await stillUsable(`ok-${name.replace(/ /g, '-')}`);
  });
});
