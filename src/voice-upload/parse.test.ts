import { describe, expect, it } from 'vitest';
import { embeddingBytes, parseVoiceUpload, VoiceUploadError } from './parse';

const opts = { dim: 4, sampleRate: 22050 };
const unit = [0.5, 0.5, 0.5, 0.5];
const ok = { name: 'Ann', language: 'en-GB', embedding: unit };

describe('parseVoiceUpload', () => {
  it('accepts a valid upload and fills defaults', () => {
    const v = parseVoiceUpload('ann', ok, opts);
    expect(v.meta).toEqual({ id: 'ann', name: 'Ann', language: 'en-GB', sampleRate: 22050, license: '', source: '', description: '', dim: 4 });
    expect(Array.from(v.embedding)).toEqual(unit);
  });

  it.each([
    { name: 'bad id', id: '../x', body: ok, field: 'id' },
    { name: 'dot id', id: '.hidden', body: ok, field: 'id' },
    { name: 'not an object', id: 'a', body: [1], field: 'body' },
    { name: 'unknown field', id: 'a', body: { ...ok, admin: true }, field: 'admin' },
    { name: 'id mismatch', id: 'a', body: { ...ok, id: 'b' }, field: 'id' },
    { name: 'wrong rate', id: 'a', body: { ...ok, sampleRate: 16000 }, field: 'sampleRate' },
    { name: 'missing language', id: 'a', body: { embedding: unit }, field: 'language' },
    { name: 'bad language', id: 'a', body: { ...ok, language: 'English' }, field: 'language' },
    { name: 'long name', id: 'a', body: { ...ok, name: 'x'.repeat(101) }, field: 'name' },
    { name: 'control chars', id: 'a', body: { ...ok, description: 'a\u0000b' }, field: 'description' },
    { name: 'bidi override', id: 'a', body: { ...ok, name: 'a\u202eb' }, field: 'name' },
    { name: 'name not a string', id: 'a', body: { ...ok, name: 5 }, field: 'name' },
    { name: 'no embedding', id: 'a', body: { name: 'A', language: 'en' }, field: 'embedding' },
    { name: 'wrong size', id: 'a', body: { ...ok, embedding: [1, 0, 0] }, field: 'embedding' },
    { name: 'string value', id: 'a', body: { ...ok, embedding: [1, 0, 0, '0'] }, field: 'embedding' },
    { name: 'null value (NaN in JSON)', id: 'a', body: { ...ok, embedding: [1, 0, 0, null] }, field: 'embedding' },
    { name: 'huge value', id: 'a', body: { ...ok, embedding: [1e30, 0, 0, 0] }, field: 'embedding' },
    { name: 'zero norm', id: 'a', body: { ...ok, embedding: [0, 0, 0, 0] }, field: 'embedding' },
    { name: 'norm too large', id: 'a', body: { ...ok, embedding: [3, 3, 3, 3] }, field: 'embedding' },
  ])('refuses $name', ({ id, body, field }) => {
    let err: unknown;
    try {
      parseVoiceUpload(id, body, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VoiceUploadError);
    expect((err as VoiceUploadError).field).toBe(field);
  });

  it('writes float32 little-endian bytes', () => {
    const bytes = embeddingBytes(Float32Array.of(1.5, -2));
    const view = new DataView(bytes.buffer);
    expect([view.getFloat32(0, true), view.getFloat32(4, true)]).toEqual([1.5, -2]);
  });
});
