import { describe, expect, it } from 'vitest';
import { OPUS_BITRATES, OPUS_FRAME_SAMPLES, OPUS_INPUT_RATE, OpusError, OpusStreamDecoder, OpusStreamEncoder } from '.';
import { nodeOpusRuntime } from './testing';

/** A speech-like test signal: a chirp 150→450 Hz with a 3 Hz amplitude envelope and a harmonic, `seconds` long. */
function chirp(seconds: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * OPUS_INPUT_RATE));
  for (let i = 0; i < x.length; i++) {
    const t = i / OPUS_INPUT_RATE;
    const phase = 2 * Math.PI * (150 * t + 150 * t * t);
    x[i] = (0.4 * Math.sin(phase) + 0.15 * Math.sin(3 * phase)) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return x;
}

function encodeAll(enc: OpusStreamEncoder, x: Float32Array, pieces = 7): Uint8Array[] {
  const out: Uint8Array[] = [];
  const step = Math.ceil(x.length / pieces);
  for (let i = 0; i < x.length; i += step) out.push(...enc.push(x.subarray(i, i + step)));
  return [...out, ...enc.flush()];
}

function decodeAll(dec: OpusStreamDecoder, packets: readonly Uint8Array[]): Float32Array {
  const parts = packets.map((p) => dec.decode(p));
  const y = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((off, p) => (y.set(p, off), off + p.length), 0);
  return y;
}

/**
 * Best normalised cross-correlation of the 24 kHz input against the 48 kHz decode (every other sample), over lags
 * within 1 ms of the pre-skip. The first and last 100 ms are left out (encoder start-up, padding).
 */
function bestCorrelation(x: Float32Array, y: Float32Array, preSkip: number): { ncc: number; lag: number } {
  let best = { ncc: -1, lag: 0 };
  for (let lag = preSkip - 48; lag <= preSkip + 48; lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 2400; i < x.length - 2400 && 2 * i + lag < y.length; i++) {
      const a = x[i]!;
      const b = y[2 * i + lag]!;
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    const ncc = xy / Math.sqrt(xx * yy || 1);
    if (ncc > best.ncc) best = { ncc, lag };
  }
  return best;
}

describe('OpusStreamEncoder', () => {
  it('encodes a chirp that decodes back to the same waveform', async () => {
    const rt = await nodeOpusRuntime();
    const enc = new OpusStreamEncoder(rt);
    const dec = new OpusStreamDecoder(rt);
    const x = chirp(1);
    const packets = encodeAll(enc, x);
    const y = decodeAll(dec, packets);
    // Whole frames for the input and the encoder's look-ahead (156 samples at 24 kHz), so nothing real is cut.
    expect(packets.length).toBe(Math.ceil((x.length + enc.preSkip / 2) / OPUS_FRAME_SAMPLES));
    expect(y.length).toBe(packets.length * 960);
    expect(y.length).toBeGreaterThanOrEqual(enc.preSkip + 2 * x.length);
    const { ncc, lag } = bestCorrelation(x, y, enc.preSkip);
    expect(ncc).toBeGreaterThan(0.95);
    // The waveform sits where pre-skip says, within a fraction of a millisecond (SILK's resampler delay differs a little).
    expect(Math.abs(lag - enc.preSkip)).toBeLessThan(24);
    enc.free();
    dec.free();
  });

  it('reports the look-ahead as pre-skip at 48 kHz and keeps the true sample count', async () => {
    const rt = await nodeOpusRuntime();
    const enc = new OpusStreamEncoder(rt);
    // libopus's look-ahead: 2.5 ms of delay compensation + 4 ms of analysis, i.e. 6.5 ms = 312 samples at 48 kHz.
    expect(enc.preSkip).toBe(312);
    expect(enc.push(new Float32Array(479))).toEqual([]);
    expect(enc.push(new Float32Array(2))).toHaveLength(1);
    expect(enc.samplesIn).toBe(481);
    expect(enc.flush()).toHaveLength(1); // the 1 sample left, padded to a frame that also covers the look-ahead
    expect(enc.flush()).toEqual([]);
    expect(enc.samplesIn).toBe(481);
    enc.free();
    const whole = new OpusStreamEncoder(rt);
    expect(whole.flush()).toEqual([]); // nothing pushed, nothing to end
    expect(whole.push(new Float32Array(480))).toHaveLength(1);
    expect(whole.flush()).toHaveLength(1); // no remainder, but the look-ahead still needs a frame of silence
    whole.free();
  });

  it('flush pads the remainder with silence', async () => {
    const rt = await nodeOpusRuntime();
    const enc = new OpusStreamEncoder(rt);
    const dec = new OpusStreamDecoder(rt);
    const tone = chirp(0.5).subarray(0, 480 * 10 + 240); // ten whole frames and half of one
    const packets = [...enc.push(tone), ...enc.flush()];
    expect(packets).toHaveLength(11);
    const y = decodeAll(dec, [...packets, ...enc.push(new Float32Array(480 * 3))]);
    // After the real audio (plus the codec's delay and ringing), the padded tail is near silence.
    const rms = (a: Float32Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    const realEnd = enc.preSkip + 2 * tone.length;
    expect(rms(y.subarray(realEnd - 960, realEnd - 160))).toBeGreaterThan(0.1);
    expect(rms(y.subarray(realEnd + 480))).toBeLessThan(0.02);
    enc.free();
    dec.free();
  });

  it.each([OPUS_BITRATES.min, OPUS_BITRATES.default, OPUS_BITRATES.max])('spends about %i bit/s (VBR)', async (bitrate) => {
    const rt = await nodeOpusRuntime();
    const enc = new OpusStreamEncoder(rt, { bitrate });
    const seconds = 3;
    const packets = encodeAll(enc, chirp(seconds));
    const bytesPerSecond = packets.reduce((s, p) => s + p.length, 0) / seconds;
    expect(enc.bitrate).toBe(bitrate);
    // VBR spends by content; on this tonal signal libopus lands at 0.9–1.3x the target (speech: see the bench).
    expect(bytesPerSecond).toBeGreaterThan((bitrate / 8) * 0.6);
    expect(bytesPerSecond).toBeLessThan((bitrate / 8) * 1.4);
    enc.free();
  });

  it('rises in size with the bitrate', async () => {
    const rt = await nodeOpusRuntime();
    const size = (bitrate: number): number => {
      const enc = new OpusStreamEncoder(rt, { bitrate });
      const n = encodeAll(enc, chirp(2)).reduce((s, p) => s + p.length, 0);
      enc.free();
      return n;
    };
    expect(size(16000)).toBeLessThan(size(24000));
    expect(size(24000)).toBeLessThan(size(32000));
  });

  it.each([15999, 32001, 24000.5, Number.NaN])('rejects bitrate %s with an OpusError', async (bitrate) => {
    const rt = await nodeOpusRuntime();
    expect(() => new OpusStreamEncoder(rt, { bitrate })).toThrow(OpusError);
  });

  it('refuses use after free, and decoding garbage', async () => {
    const rt = await nodeOpusRuntime();
    const enc = new OpusStreamEncoder(rt);
    enc.free();
    enc.free();
    expect(() => enc.push(new Float32Array(480))).toThrow(/after free/);
    const dec = new OpusStreamDecoder(rt);
    expect(() => dec.decode(new Uint8Array(0))).toThrow(OpusError);
    // TOC code 3 (arbitrary frame count) with a frame count byte of 0 is invalid (RFC 6716 3.2.5).
    expect(() => dec.decode(Uint8Array.of(0x03, 0x00))).toThrow(/corrupted stream|invalid argument/);
    dec.free();
  });

  it('serves many encoders from one runtime without leaking', async () => {
    const rt = await nodeOpusRuntime();
    const before = rt.memoryBytes;
    for (let i = 0; i < 200; i++) {
      const enc = new OpusStreamEncoder(rt);
      enc.push(chirp(0.05));
      enc.free();
    }
    expect(rt.memoryBytes).toBe(before);
  });
});
