import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest';

const base = {
  version: 1,
  sampleRate: 22050,
  hopSize: 256,
  nFft: 1024,
  window: 'hann',
  featureDim: 192,
  voiceDim: 64,
  phonemes: { idMap: { _: [0], '^': [1], $: [2], a: 14 } },
  acoustic: { file: 'acoustic.int8.onnx' },
  vocoder: { file: 'vocoder.int8.onnx', streaming: { lookaheadFrames: 21, layers: 7, stateShape: [1, 1344, 6] } },
};

describe('parseManifest', () => {
  it('accepts the export format (numeric version, Piper id lists)', () => {
    const m = parseManifest(base);
    expect(m.version).toBe('1');
    expect(m.phonemes.idMap).toEqual({ _: 0, '^': 1, $: 2, a: 14 });
    expect(m.vocoder.lookaheadFrames).toBe(21);
    expect(m.vocoder.stateShape).toEqual([1, 1344, 6]);
    expect(m.vocoder.layers).toBe(7);
  });

  it('reads whether the models were optimised offline', () => {
    expect(parseManifest(base).optimized).toBeUndefined();
    expect(parseManifest({ ...base, optimized: 'onnxruntime 1.20.1 extended' }).optimized).toBe('onnxruntime 1.20.1 extended');
    expect(() => parseManifest({ ...base, optimized: 1 })).toThrow(/optimized/);
  });

  it("reads the acoustic model's duration calibration (1 when absent)", () => {
    expect(parseManifest(base).acoustic.durationScale).toBe(1);
    const acoustic = { ...(base.acoustic as object), durationScale: 1.05 };
    expect(parseManifest({ ...base, acoustic }).acoustic.durationScale).toBe(1.05);
    expect(() => parseManifest({ ...base, acoustic: { ...acoustic, durationScale: 0 } })).toThrow(/durationScale/);
  });

  it.each([
    { name: 'non power-of-two nFft', patch: { nFft: 1000 }, error: /power of two/ },
    { name: 'missing vocoder file', patch: { vocoder: { streaming: base.vocoder.streaming } }, error: /file/ },
    { name: 'a vocoder that does not stream', patch: { vocoder: { file: 'v.onnx' } }, error: /streaming/ },
    { name: 'a bad state shape', patch: { vocoder: { file: 'v.onnx', streaming: { lookaheadFrames: 3, layers: 1, stateShape: [1, 0, 6] } } }, error: /stateShape/ },
    { name: 'a look-ahead that is not whole frames per layer', patch: { vocoder: { file: 'v.onnx', streaming: { lookaheadFrames: 20, layers: 7, stateShape: [1, 8, 6] } } }, error: /multiple/ },
    { name: 'other window', patch: { window: 'hamming' }, error: /hann/ },
    { name: 'bad voiceDim', patch: { voiceDim: 0 }, error: /voiceDim/ },
  ])('rejects $name', ({ patch, error }) => {
    expect(() => parseManifest({ ...base, ...patch })).toThrow(error);
  });
});
