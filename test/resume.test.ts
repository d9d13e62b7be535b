import { beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, type Frame, openSocket, workerFetch } from './helpers';

// Resume after a dropped connection (docs/protocol.md), against the real worker and models: a socket is
// killed mid-stream, a new one asks for the same speech with resumeFrom, and what the client ends up with must be
// exactly what one uninterrupted request gives.
let voice = '';
beforeAll(async () => {
  const res = await workerFetch('http://worker/v1/voices');
  voice = ((await res.json()) as { voices: { id: string }[] }).voices[0]!.id;
});

const TEXT = 'Resuming must be seamless. The second socket sends only what the first one missed, byte for byte.';

async function whole(speak: Record<string, unknown>): Promise<ReturnType<typeof checkRequest>> {
  const sock = await openSocket();
  sock.send({ type: 'speak', id: 'whole', text: TEXT, voice, ...speak });
  const r = checkRequest(await sock.untilEnd('whole'), 'whole');
  sock.close();
  return r;
}

/** Starts the request, keeps the first `keep` chunks, then kills the socket. */
async function dropAfter(speak: Record<string, unknown>, keep: number): Promise<Uint8Array[]> {
  const sock = await openSocket();
  sock.send({ type: 'speak', id: 'first', text: TEXT, voice, ...speak });
  const got: Uint8Array[] = [];
  while (got.length < keep) {
    const f: Frame = await sock.next();
    if (f.kind === 'binary') got.push(f.bytes);
  }
  sock.close();
  return got;
}

describe('resumeFrom', () => {
  it.each([
    { format: 'pcm16', speak: {} },
    { format: 'opus', speak: { format: 'opus', bitrate: 24000 } },
  ])('$format: a dropped request resumed on a new socket gives exactly the uninterrupted audio', async ({ speak }) => {
    const reference = await whole(speak);
    expect(reference.chunks.length).toBeGreaterThan(8);
    const keep = 5;
    const before = await dropAfter(speak, keep);

    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'again', text: TEXT, voice, ...speak, resumeFrom: keep });
    const frames = await sock.untilEnd('again');
    sock.close();
    const start = frames[0]!;
    expect(start.kind === 'text' && start.msg).toMatchObject({ type: 'start', resumeFrom: keep });
    const seqs = frames.flatMap((f) => (f.kind === 'binary' ? [f.seq] : []));
    expect(seqs).toEqual(Array.from({ length: reference.chunks.length - keep }, (_, i) => keep + i));
    const after = frames.flatMap((f) => (f.kind === 'binary' ? [f.bytes] : []));
    const done = frames.at(-1)!;
    expect(done.kind === 'text' && done.msg).toMatchObject({ type: 'done', chunks: reference.done.chunks, audioMs: reference.done.audioMs });
    // Byte for byte: the same chunks, the same Opus packets (so one decoder carries on across the drop).
    expect([...before, ...after].map((c) => Array.from(c))).toEqual(reference.chunks.map((c) => Array.from(c)));
    // Words: only those ending after the resume point, the same timings as in the uninterrupted request.
    const words = frames.flatMap((f) => (f.kind === 'text' && f.msg.type === 'words' ? (f.msg.words as { endMs: number }[]) : []));
    expect(words.length).toBeGreaterThan(0);
    expect(reference.words.slice(-words.length)).toEqual(words);
  });
});
