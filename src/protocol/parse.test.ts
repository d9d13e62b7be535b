import { describe, expect, it } from 'vitest';
import { encodeAudioFrame, parseClientMessage } from './parse';

describe('parseClientMessage', () => {
  it.each([
    { name: 'malformed JSON', input: '{nope', code: 'bad_request', id: null },
    { name: 'not an object', input: '[1]', code: 'bad_request', id: null },
    { name: 'unknown type', input: '{"type":"sing","id":"a"}', code: 'bad_request', id: 'a' },
    { name: 'speak without id', input: '{"type":"speak","text":"hi","voice":"v"}', code: 'bad_request', id: null },
    { name: 'text not a string', input: '{"type":"speak","id":"a","text":3,"voice":"v"}', code: 'bad_request', id: 'a' },
    { name: 'missing voice', input: '{"type":"speak","id":"a","text":"hi"}', code: 'bad_request', id: 'a' },
    { name: 'speed out of range', input: '{"type":"speak","id":"a","text":"hi","voice":"v","speed":3}', code: 'bad_request', id: 'a' },
    { name: 'chunkMs out of range', input: '{"type":"speak","id":"a","text":"hi","voice":"v","chunkMs":5}', code: 'bad_request', id: 'a' },
    { name: 'final not boolean', input: '{"type":"speak","id":"a","text":"hi","voice":"v","final":"no"}', code: 'bad_request', id: 'a' },
    { name: 'format not offered', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"mp3"}', code: 'unsupported_format', id: 'a' },
    { name: 'rate not offered', input: '{"type":"speak","id":"a","text":"hi","voice":"v","sampleRate":44100}', code: 'unsupported_format', id: 'a' },
    { name: 'cancel without id', input: '{"type":"cancel"}', code: 'bad_request', id: null },
    { name: 'opus at another rate', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","sampleRate":24000}', code: 'unsupported_format', id: 'a' },
    { name: 'bitrate without opus', input: '{"type":"speak","id":"a","text":"hi","voice":"v","bitrate":24000}', code: 'bad_request', id: 'a' },
    { name: 'bitrate out of range', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","bitrate":64000}', code: 'bad_request', id: 'a' },
    { name: 'bitrate fractional', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","bitrate":24000.5}', code: 'bad_request', id: 'a' },
    { name: 'resumeFrom negative', input: '{"type":"speak","id":"a","text":"hi","voice":"v","resumeFrom":-1}', code: 'bad_request', id: 'a' },
    { name: 'resumeFrom fractional', input: '{"type":"speak","id":"a","text":"hi","voice":"v","resumeFrom":1.5}', code: 'bad_request', id: 'a' },
    { name: 'ack not boolean', input: '{"type":"speak","id":"a","text":"hi","voice":"v","ack":1}', code: 'bad_request', id: 'a' },
    { name: 'ack message without seq', input: '{"type":"ack","id":"a"}', code: 'bad_request', id: null },
  ])('$name → $code', ({ input, code, id }) => {
    const r = parseClientMessage(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code, id });
  });

  it('fills speak defaults', () => {
    const r = parseClientMessage('{"type":"speak","id":"a","text":"hi","voice":"v"}');
    expect(r).toEqual({
      ok: true,
      message: { type: 'speak', id: 'a', text: 'hi', voice: 'v', format: 'pcm16', sampleRate: undefined, speed: 1, chunkMs: 80, final: true, bitrate: undefined, resumeFrom: 0, wordsAfterMs: undefined, ack: false },
    });
  });

  it('fills Opus defaults and reads the extensions', () => {
    const r = parseClientMessage('{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","resumeFrom":7,"ack":true}');
    expect(r).toMatchObject({ ok: true, message: { format: 'opus', bitrate: 24000, resumeFrom: 7, ack: true } });
    expect(parseClientMessage('{"type":"ack","id":"a","seq":3}')).toEqual({ ok: true, message: { type: 'ack', id: 'a', seq: 3 } });
  });

  it('keeps ping t and rejects binary frames', () => {
    expect(parseClientMessage('{"type":"ping","t":5}')).toEqual({ ok: true, message: { type: 'ping', t: 5 } });
    expect(parseClientMessage(new ArrayBuffer(2)).ok).toBe(false);
  });
});

describe('encodeAudioFrame', () => {
  it('prefixes a little-endian sequence number', () => {
    const f = encodeAudioFrame(258, Uint8Array.of(9, 8));
    expect(Array.from(f)).toEqual([2, 1, 0, 0, 9, 8]);
  });
});
