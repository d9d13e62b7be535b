import { describe, expect, it } from 'vitest';
import { blendEmbeddings, decodeEmbedding, parseBlend, parseVoiceMeta } from './parse';
import { VoiceError } from './types';

describe('parseBlend', () => {
  it.each([
    { name: 'single id', input: 'joe', target: [{ id: 'joe', weight: 1 }] },
    { name: 'two voices', input: 'a:0.7,b:0.3', target: [{ id: 'a', weight: 0.7 }, { id: 'b', weight: 0.3 }] },
    { name: 'spaces', input: 'a:0.5, b', target: [{ id: 'a', weight: 0.5 }, { id: 'b', weight: 1 }] },
  ])('$name', ({ input, target }) => expect(parseBlend(input)).toEqual(target));

  it.each(['a:', 'a:-1', ':0.3', 'a:0', 'a b', `a:1${'0'.repeat(400)}`, 'a,b,c,d,e'])('rejects %s', (input) => {
    expect(() => parseBlend(input)).toThrow(VoiceError);
  });
});

describe('blendEmbeddings', () => {
  it('averages with normalised weights', () => {
    const out = blendEmbeddings([
      { embedding: Float32Array.of(1, 0), weight: 3 },
      { embedding: Float32Array.of(0, 1), weight: 1 },
    ]);
    expect(Array.from(out)).toEqual([0.75, 0.25]);
  });
});

describe('decodeEmbedding / parseVoiceMeta', () => {
  it('decodes float32 LE and checks the size', () => {
    const buf = new ArrayBuffer(8);
    new DataView(buf).setFloat32(4, 1.5, true);
    expect(Array.from(decodeEmbedding(buf, 2, 'x'))).toEqual([0, 1.5]);
    expect(() => decodeEmbedding(buf, 3, 'x')).toThrow(/expected 12/);
  });

  it('validates a sidecar', () => {
    const meta = parseVoiceMeta({ id: 'joe', name: 'Joe', language: 'en-US', sampleRate: 22050, license: 'CC0' });
    expect(meta).toMatchObject({ id: 'joe', name: 'Joe', source: '', description: '' });
    expect(() => parseVoiceMeta({ id: 'joe', language: 'en' }, 'joe')).toThrow(/sampleRate/);
    expect(() => parseVoiceMeta({ id: 'ann', language: 'en', sampleRate: 1 }, 'joe')).toThrow(/!=/);
  });
});
