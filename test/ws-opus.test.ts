import { beforeAll, describe, expect, it } from 'vitest';
import { OpusStreamDecoder, unpackOpusPackets } from '../src/audio/opus';
import { workerOpusRuntime } from '../src/audio/opus/wasm-module';
import { checkRequest, openSocket, workerFetch } from './helpers';

// `format: "opus"` on the WebSocket, decoded packet by packet with libopus, against the same request in pcm16.
let voice = '';
beforeAll(async () => {
  const res = await workerFetch('http://worker/v1/voices');
  voice = ((await res.json()) as { voices: { id: string }[] }).voices[0]!.id;
});

const TEXT = 'Opus keeps speech clear at a tenth of the bytes. Every packet decodes on its own, in order.';

/** Log energy per 20 ms frame. */
function envelope(x: Float32Array, rate: number): number[] {
  const n = Math.round(rate * 0.02);
  const out: number[] = [];
  for (let i = 0; i + n <= x.length; i += n) {
    let e = 1e-9;
    for (let j = i; j < i + n; j++) e += x[j]! * x[j]!;
    out.push(Math.log(e / n));
  }
  return out;
}

function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (v: number[]): number => v.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('WebSocket format opus', () => {
  it('streams 20 ms packets that decode to the same speech as pcm16, at a small fraction of the bytes', async () => {
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'pcm', text: TEXT, voice, sampleRate: 24000 });
    const pcm = checkRequest(await sock.untilEnd('pcm'), 'pcm');
    sock.send({ type: 'speak', id: 'opus', text: TEXT, voice, format: 'opus', bitrate: 24000, chunkMs: 100 });
    const frames = await sock.untilEnd('opus');
    sock.close();
    const opus = checkRequest(frames, 'opus');
    const start = frames[0]!;
    expect(start.kind === 'text' && start.msg).toMatchObject({ type: 'start', format: 'opus', sampleRate: 48000, channels: 1, opus: { frameMs: 20, inputRate: 24000, bitrate: 24000 } });
    const preSkip = start.kind === 'text' ? ((start.msg.opus as { preSkip: number }).preSkip) : 0;
    expect(preSkip).toBeGreaterThan(0);

    const decoder = new OpusStreamDecoder(workerOpusRuntime());
    const packets = opus.chunks.map((c) => unpackOpusPackets(c));
    // The first chunk leaves with the first window's packets (~80 ms); the others carry ceil(100 / 20) = 5, the last
    // what is left.
    expect(packets[0]!.length).toBeGreaterThanOrEqual(3);
    expect(packets[0]!.length).toBeLessThanOrEqual(5);
    expect(packets.slice(1, -1).every((p) => p.length === 5)).toBe(true);
    const decoded = packets.flat().map((p) => decoder.decode(p));
    decoder.free();
    expect(decoded.every((d) => d.length === 960)).toBe(true);
    const all = new Float32Array(decoded.length * 960);
    decoded.forEach((d, i) => all.set(d, i * 960));
    // Drop the pre-skip, then the padding: what is left is done.audioMs of audio, as long as the pcm16 request.
    const audioMs = opus.done.audioMs as number;
    const speech48 = all.subarray(preSkip, preSkip + Math.round(audioMs * 48));
    expect(Math.abs(audioMs - (pcm.done.audioMs as number))).toBeLessThanOrEqual(1);
    expect(all.length - preSkip).toBeGreaterThanOrEqual(speech48.length);

    const pcmBytes = new Uint8Array(pcm.chunks.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const c of pcm.chunks) pcmBytes.set(c, (off += c.length) - c.length);
    const pcm24 = Float32Array.from(new Int16Array(pcmBytes.buffer), (s) => s / 32768);
    // Same speech: the 20 ms energy envelopes (silences, syllables) follow each other closely.
    const r = correlation(envelope(speech48, 48000), envelope(pcm24, 24000));
    console.log(`opus vs pcm16 envelope correlation ${r.toFixed(3)}`);
    expect(r).toBeGreaterThan(0.9);

    const opusBytes = opus.chunks.reduce((n, c) => n + c.length + 4, 0);
    const pcmWire = pcm.chunks.reduce((n, c) => n + c.length + 4, 0);
    console.log(`bytes per audio second: opus 24 kbit/s ${Math.round(opusBytes / (audioMs / 1000))}, pcm16 24000 Hz ${Math.round(pcmWire / (audioMs / 1000))}`);
    expect(opusBytes).toBeLessThan(pcmWire / 8);
  });

  it('refuses a PCM rate with Opus, and a bitrate outside 16–32 kbit/s, and stays usable', async () => {
    const sock = await openSocket();
    sock.send({ type: 'speak', id: 'a', text: 'Hi.', voice, format: 'opus', sampleRate: 24000 });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'a', code: 'unsupported_format' });
    sock.send({ type: 'speak', id: 'b', text: 'Hi.', voice, format: 'opus', bitrate: 8000 });
    expect(await sock.nextText()).toMatchObject({ type: 'error', id: 'b', code: 'bad_request' });
    sock.send({ type: 'speak', id: 'c', text: 'Hi.', voice, format: 'opus' });
    expect((await sock.untilEnd('c')).at(-1)).toMatchObject({ kind: 'text', msg: { type: 'done', id: 'c' } });
    sock.close();
  });
});
