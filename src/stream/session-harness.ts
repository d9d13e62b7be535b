/**
 * A StreamSession in Node for unit tests: a stand-in synthesizer that makes silence of a fixed length per phoneme,
 * a chunker that splits at periods, and a log of everything the session sends. Real audio is tested in workerd with
 * the real models (test/).
 */
import { expect } from 'vitest';
import { Istft } from '../audio';
import type { TextChunk } from '../text';
import { StreamRequestError, StreamSession, type StreamSessionDeps } from './session';
import type { StreamSynthesizer } from './synthesize';

const HOP = 256;
const BINS = 513;

/**
 * A stand-in for the vocoder: returns each asked-for frame once, in order, as the real stream does. `fill` sets a
 * frame's magnitudes (`mag[bin * stride + col]`); without it every frame is silent.
 */
export function standInVocoder(fill?: (frame: number, mag: Float32Array, stride: number, col: number) => void): StreamSynthesizer['vocoder'] {
  return (_features, frames) => {
    let next = 0;
    return {
      through: async (last) => {
        const upTo = Math.min(last, frames - 1);
        const stride = Math.max(0, upTo - next + 1);
        const mag = new Float32Array(BINS * stride);
        for (let col = 0; col < stride; col++) fill?.(next + col, mag, stride, col);
        const out = { mag, stride, firstFrame: next };
        next += stride;
        return out;
      },
    };
  };
}

export const silence: StreamSynthesizer = {
  sampleRate: 22050,
  hop: HOP,
  istft: new Istft({ nFft: 1024, hop: HOP }),
  acoustic: async (ids) => {
    const durations = Int32Array.from(ids, () => 4);
    const frames = ids.length * 4;
    return { durations, features: new Float32Array(frames), frames };
  },
  vocoder: standInVocoder(),
};

export const chunkOf = (text: string): TextChunk => {
  const words: TextChunk['words'] = [];
  for (const m of text.matchAll(/\S+/g)) words.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return { text, words };
};

export function harness(overrides: Partial<StreamSessionDeps> = {}) {
  const out: ({ type: string } & Record<string, unknown>)[] = [];
  const session = new StreamSession({
    sendText: (t) => out.push(JSON.parse(t)),
    sendBinary: (f) => out.push({ type: 'audio', seq: new DataView(f.buffer).getUint32(0, true), bytes: Array.from(f.subarray(4)) }),
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
    limits: { maxTextChars: 300, maxQueued: 2, requestsPerMinute: 100, ackWindowMs: 10_000, slowConsumerMs: 15_000 },
    ...overrides,
  });
  const until = async (pred: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 1));
    expect(pred()).toBe(true);
  };
  const send = (m: unknown): void => session.onMessage(JSON.stringify(m));
  return { out, session, send, until, types: () => out.map((m) => (m.id ? `${m.type}:${m.id}` : m.type)) };
}
