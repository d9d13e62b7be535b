import { beforeAll, describe, expect, it } from 'vitest';
import { OpusStreamDecoder } from '../src/audio/opus';
import { workerOpusRuntime } from '../src/audio/opus/wasm-module';
import { realModels, workerFetch } from './helpers';

// `response_format: "opus"` over HTTP: an Ogg Opus body read with a reader written here, decoded with libopus and
// compared with the same request's pcm output.

const speech = (body: unknown): Promise<Response> =>
  workerFetch('http://worker/v1/audio/speech', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

const TEXT = 'Opus keeps speech clear at a tenth of the bytes. The body streams page by page, as the audio is made.';

interface Page {
  flags: number;
  granule: number;
  seq: number;
  packets: Uint8Array[];
}

/** Ogg pages (RFC 3533) of one logical stream; packets never span pages in this writer's output, which it checks. */
function readPages(bytes: Uint8Array): Page[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pages: Page[] = [];
  for (let off = 0; off < bytes.length; ) {
    expect(String.fromCharCode(...bytes.subarray(off, off + 4))).toBe('OggS');
    const segments = bytes[off + 26]!;
    const lacing = [...bytes.subarray(off + 27, off + 27 + segments)];
    expect(lacing.at(-1)).toBeLessThan(255);
    let body = off + 27 + segments;
    const packets: Uint8Array[] = [];
    let start = body;
    for (const l of lacing) {
      body += l;
      if (l < 255) {
        packets.push(bytes.slice(start, body));
        start = body;
      }
    }
    pages.push({ flags: bytes[off + 5]!, granule: v.getUint32(off + 6, true) + v.getUint32(off + 10, true) * 2 ** 32, seq: v.getUint32(off + 18, true), packets });
    off = body;
  }
  return pages;
}

async function readAll(res: Response): Promise<{ bytes: Uint8Array; pieces: number }> {
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((off, p) => (bytes.set(p, off), off + p.length), 0);
  return { bytes, pieces: parts.length };
}

/** Decoded Ogg Opus at 48 kHz with pre-skip and end padding trimmed per the granules, and what it was made of. */
async function opusRequest(body: Record<string, unknown>): Promise<{ audio: Float32Array; bytes: number; pages: Page[]; pieces: number; preSkip: number }> {
  const res = await speech({ input: TEXT, voice, response_format: 'opus', ...body });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('audio/ogg; codecs=opus');
  const { bytes, pieces } = await readAll(res);
  const pages = readPages(bytes);
  const head = pages[0]!.packets[0]!;
  expect(String.fromCharCode(...head.subarray(0, 8))).toBe('OpusHead');
  const preSkip = new DataView(head.buffer).getUint16(10, true);
  const decoder = new OpusStreamDecoder(workerOpusRuntime());
  const decoded = pages.slice(2).flatMap((p) => p.packets.flatMap((q) => [...decoder.decode(q)]));
  decoder.free();
  return { audio: Float32Array.from(decoded.slice(preSkip, pages.at(-1)!.granule)), bytes: bytes.length, pages, pieces, preSkip };
}

/** Best normalised cross-correlation of `ref` (24 kHz) against `y` (48 kHz, every other sample) within ±1 ms. */
function waveformCorrelation(ref: Float32Array, y: Float32Array): number {
  let best = -1;
  for (let lag = -48; lag <= 48; lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 100; i < ref.length - 100 && 2 * i + lag < y.length; i++) {
      const b = y[2 * i + lag]!;
      xy += ref[i]! * b;
      xx += ref[i]! ** 2;
      yy += b * b;
    }
    best = Math.max(best, xy / Math.sqrt(xx * yy || 1));
  }
  return best;
}

let voice = '';
beforeAll(async () => {
  const res = await workerFetch('http://worker/v1/voices');
  voice = ((await res.json()) as { voices: { id: string }[] }).voices[0]!.id;
});

describe('POST /v1/audio/speech response_format opus', () => {
  it('streams Ogg Opus that decodes to the same speech as the pcm output', async () => {
    const pcmRes = await speech({ input: TEXT, voice, response_format: 'pcm', sample_rate: 24000 });
    const pcmBytes = (await readAll(pcmRes)).bytes;
    const pcm = new Float32Array(pcmBytes.length / 2);
    const pv = new DataView(pcmBytes.buffer);
    for (let i = 0; i < pcm.length; i++) pcm[i] = pv.getInt16(2 * i, true) / 32768;

    const { audio, pages, pieces, preSkip } = await opusRequest({});
    expect(preSkip).toBe(312);
    expect(pieces).toBeGreaterThan(3); // the body streamed
    expect(pages.map((p) => p.seq)).toEqual(pages.map((_, i) => i));
    expect(pages.map((p) => p.flags)).toEqual([0x02, ...pages.slice(1, -1).map(() => 0), 0x04]);
    expect(String.fromCharCode(...pages[1]!.packets[0]!.subarray(0, 8))).toBe('OpusTags');
    let packets = 0;
    for (const p of pages.slice(2, -1)) {
      packets += p.packets.length;
      expect(p.granule).toBe(packets * 960);
    }
    // The trimmed length is the pcm output's at 48 kHz, to the sample (both come from the same 24 kHz resampler).
    expect(audio.length).toBe(pcm.length * 2);
    const ncc = waveformCorrelation(pcm, audio);
    console.log(`http opus 24 kbit/s: waveform correlation with pcm ${ncc.toFixed(3)} over ${(pcm.length / 24000).toFixed(2)} s`);
    expect(ncc).toBeGreaterThan(realModels ? 0.9 : 0.8);
  });

  it('spends about the requested bitrate: bytes per second of audio per format', async () => {
    const pcmRes = await speech({ input: TEXT, voice, response_format: 'pcm', sample_rate: 22050 });
    const pcmBytes = (await readAll(pcmRes)).bytes.length;
    const seconds = pcmBytes / 2 / 22050;
    const lines = [`pcm16 22050 Hz: ${Math.round(pcmBytes / seconds)} B/s`];
    let previous = 0;
    for (const bitrate of [16000, 24000, 32000]) {
      const { bytes, audio } = await opusRequest({ bitrate });
      expect(audio.length / 48000).toBeCloseTo(seconds, 1);
      const perSecond = bytes / seconds;
      lines.push(`ogg opus ${bitrate / 1000} kbit/s: ${Math.round(perSecond)} B/s (${((perSecond * 8) / 1000).toFixed(1)} kbit/s with Ogg framing)`);
      expect(perSecond).toBeGreaterThan(previous);
      expect(perSecond).toBeGreaterThan((bitrate / 8) * 0.6);
      expect(perSecond).toBeLessThan((bitrate / 8) * 1.4);
      previous = perSecond;
    }
    console.log(`bytes per second of audio (${seconds.toFixed(2)} s of speech):\n  ${lines.join('\n  ')}`);
  });

  it.each([
    { name: 'bitrate below 16000', body: { bitrate: 8000 }, code: 'bad_request' },
    { name: 'bitrate above 32000', body: { bitrate: 64000 }, code: 'bad_request' },
    { name: 'bitrate not an integer', body: { bitrate: '24000' }, code: 'bad_request' },
    { name: 'bitrate with wav', body: { bitrate: 24000, response_format: 'wav' }, code: 'bad_request' },
    { name: 'sample_rate other than 48000', body: { sample_rate: 24000 }, code: 'unsupported_format' },
  ])('400 for $name', async ({ body, code }) => {
    const res = await speech({ input: 'Hi.', voice, response_format: 'opus', ...body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('names every offered format when the format is unknown', async () => {
    const res = await speech({ input: 'Hi.', voice, response_format: 'aiff' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('response_format must be one of "mp3", "opus", "flac", "wav", "pcm"');
  });
});
