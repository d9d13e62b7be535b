import { describe, expect, it } from 'vitest';
import { echo, ECHO_CHARS } from './echo';
import { encodeAudioFrame, MAX_FRAME_CHARS, MAX_ID_CHARS, parseClientMessage, type ProtocolParseResult } from './parse';
import { openSpeak, pieceMismatch } from './speak';
import type { ProtocolError, ProtocolSpeak } from './messages';

/** A frame read as a request's first piece: parsed, then opened (voice required, options checked together). */
function asFirstPiece(input: string): { ok: true; speak: ProtocolSpeak } | { ok: false; error: ProtocolError } {
  const r: ProtocolParseResult = parseClientMessage(input);
  if (!r.ok) return r;
  if (r.message.type !== 'speak') throw new Error(`not a speak: ${input}`);
  return openSpeak(r.message);
}

describe('parseClientMessage', () => {
  it.each([
    { name: 'malformed JSON', input: '{nope', code: 'bad_request', id: null },
    { name: 'not an object', input: '[1]', code: 'bad_request', id: null },
    { name: 'unknown type', input: '{"type":"sing","id":"a"}', code: 'bad_request', id: 'a' },
    { name: 'speak without id', input: '{"type":"speak","text":"hi","voice":"v"}', code: 'bad_request', id: null },
    { name: 'cancel without id', input: '{"type":"cancel"}', code: 'bad_request', id: null },
    { name: 'ack message without seq', input: '{"type":"ack","id":"a"}', code: 'bad_request', id: null },
  ])('$name → $code', ({ input, code, id }) => {
    const r = parseClientMessage(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code, id });
  });

  it('keeps ping t and rejects binary frames', () => {
    expect(parseClientMessage('{"type":"ping","t":5}')).toEqual({ ok: true, message: { type: 'ping', t: 5 } });
    expect(parseClientMessage(new ArrayBuffer(2)).ok).toBe(false);
  });

  it('reads a speak frame as a piece holding only the options it carries', () => {
    expect(parseClientMessage('{"type":"speak","id":"a","text":"more","final":false}')).toEqual({
      ok: true,
      message: { type: 'speak', id: 'a', text: 'more', final: false, options: {} },
    });
    expect(parseClientMessage('{"type":"speak","id":"a","text":"x","voice":"v","speed":1.5}')).toMatchObject({
      ok: true,
      message: { options: { voice: 'v', speed: 1.5 } },
    });
  });

  it(`refuses ids over ${MAX_ID_CHARS} characters with id null, whatever the message type`, () => {
    const long = 'x'.repeat(MAX_ID_CHARS + 1);
    for (const type of ['speak', 'cancel', 'ack', 'sing']) {
      const r = parseClientMessage(JSON.stringify({ type, id: long, text: 'hi', voice: 'v', seq: 0 }));
      expect(r).toMatchObject({ ok: false, error: { id: null, code: 'bad_request' } });
      if (!r.ok) expect(r.error.message.length).toBeLessThan(120);
    }
    expect(parseClientMessage(JSON.stringify({ type: 'cancel', id: 'x'.repeat(MAX_ID_CHARS) })).ok).toBe(true);
  });

  it('refuses a frame over MAX_FRAME_CHARS before parsing it', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'speak', id: 'i'.repeat(100_000), text: 'hi', voice: 'v' }));
    expect(r).toMatchObject({ ok: false, error: { id: null, code: 'bad_request' } });
    if (!r.ok) expect(r.error.message.length).toBeLessThan(100);
    expect(parseClientMessage(JSON.stringify({ type: 'ping', t: 'x'.repeat(MAX_FRAME_CHARS - 30) })).ok).toBe(true);
  });

  it('quotes at most a short prefix of client input in error messages', () => {
    const huge = 'q'.repeat(60_000);
    for (const frame of [
      { type: huge, id: 'a' },
      { type: 'speak', id: 'a', text: 'hi', voice: 'v', format: huge },
    ]) {
      const r = parseClientMessage(JSON.stringify(frame));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toContain(`${'q'.repeat(ECHO_CHARS)}…`);
        expect(r.error.message).not.toContain('q'.repeat(ECHO_CHARS + 1));
      }
    }
  });
});

describe('a first speak piece', () => {
  it.each([
    { name: 'text not a string', input: '{"type":"speak","id":"a","text":3,"voice":"v"}', code: 'bad_request' },
    { name: 'missing voice', input: '{"type":"speak","id":"a","text":"hi"}', code: 'bad_request' },
    { name: 'empty voice', input: '{"type":"speak","id":"a","text":"hi","voice":""}', code: 'bad_request' },
    { name: 'speed out of range', input: '{"type":"speak","id":"a","text":"hi","voice":"v","speed":3}', code: 'bad_request' },
    { name: 'speed not a number', input: '{"type":"speak","id":"a","text":"hi","voice":"v","speed":"fast"}', code: 'bad_request' },
    { name: 'chunkMs out of range', input: '{"type":"speak","id":"a","text":"hi","voice":"v","chunkMs":5}', code: 'bad_request' },
    { name: 'final not boolean', input: '{"type":"speak","id":"a","text":"hi","voice":"v","final":"no"}', code: 'bad_request' },
    { name: 'format not offered', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"mp3"}', code: 'unsupported_format' },
    { name: 'rate not offered', input: '{"type":"speak","id":"a","text":"hi","voice":"v","sampleRate":44100}', code: 'unsupported_format' },
    { name: 'opus at another rate', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","sampleRate":24000}', code: 'unsupported_format' },
    { name: 'bitrate without opus', input: '{"type":"speak","id":"a","text":"hi","voice":"v","bitrate":24000}', code: 'bad_request' },
    { name: 'bitrate out of range', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","bitrate":64000}', code: 'bad_request' },
    { name: 'bitrate fractional', input: '{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","bitrate":24000.5}', code: 'bad_request' },
    { name: 'resumeFrom negative', input: '{"type":"speak","id":"a","text":"hi","voice":"v","resumeFrom":-1}', code: 'bad_request' },
    { name: 'resumeFrom fractional', input: '{"type":"speak","id":"a","text":"hi","voice":"v","resumeFrom":1.5}', code: 'bad_request' },
    { name: 'ack not boolean', input: '{"type":"speak","id":"a","text":"hi","voice":"v","ack":1}', code: 'bad_request' },
  ])('$name → $code', ({ input, code }) => {
    const r = asFirstPiece(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code, id: 'a' });
  });

  it('fills speak defaults', () => {
    expect(asFirstPiece('{"type":"speak","id":"a","text":"hi","voice":"v"}')).toEqual({
      ok: true,
      speak: { type: 'speak', id: 'a', text: 'hi', voice: 'v', format: 'pcm16', sampleRate: undefined, speed: 1, chunkMs: 80, final: true, bitrate: undefined, resumeFrom: 0, wordsAfterMs: undefined, ack: false },
    });
  });

  it('fills Opus defaults and reads the extensions', () => {
    const r = asFirstPiece('{"type":"speak","id":"a","text":"hi","voice":"v","format":"opus","resumeFrom":7,"ack":true}');
    expect(r).toMatchObject({ ok: true, speak: { format: 'opus', bitrate: 24000, resumeFrom: 7, ack: true } });
    expect(parseClientMessage('{"type":"ack","id":"a","seq":3}')).toEqual({ ok: true, message: { type: 'ack', id: 'a', seq: 3 } });
  });
});

describe('pieceMismatch (later pieces of an incremental request)', () => {
  const first = asFirstPiece('{"type":"speak","id":"a","text":"Hello","voice":"v","format":"opus","speed":1.5,"final":false}');
  if (!first.ok) throw new Error('first piece refused');
  const piece = (fields: Record<string, unknown>) => {
    const r = parseClientMessage(JSON.stringify({ type: 'speak', id: 'a', text: ' more', final: false, ...fields }));
    if (!r.ok || r.message.type !== 'speak') throw new Error('piece refused by the parser');
    return r.message;
  };

  it.each([
    { fields: {} },
    { fields: { voice: 'v' } },
    { fields: { format: 'opus', speed: 1.5, bitrate: 24000 } }, // the defaults the first piece got count as its values
    { fields: { chunkMs: 80, resumeFrom: 0, ack: false } },
  ])('accepts $fields', ({ fields }) => {
    expect(pieceMismatch(first.speak, piece(fields))).toBeUndefined();
  });

  it.each([
    { fields: { voice: 'w' }, key: 'voice' },
    { fields: { format: 'pcm16' }, key: 'format' },
    { fields: { speed: 1 }, key: 'speed' },
    { fields: { sampleRate: 48000 }, key: 'sampleRate' },
    { fields: { bitrate: 16000 }, key: 'bitrate' },
    { fields: { chunkMs: 200 }, key: 'chunkMs' },
    { fields: { ack: true }, key: 'ack' },
    { fields: { resumeFrom: 3 }, key: 'resumeFrom' },
  ])('refuses a changed $key', ({ fields, key }) => {
    expect(pieceMismatch(first.speak, piece(fields))).toMatch(new RegExp(`^${key} cannot change`));
  });

  it('quotes a changed voice by its prefix only', () => {
    const message = pieceMismatch(first.speak, piece({ voice: 'z'.repeat(5000) }))!;
    expect(message).toContain(`"${'z'.repeat(ECHO_CHARS)}…"`);
    expect(message.length).toBeLessThan(200);
  });
});

describe('echo', () => {
  it('keeps short input whole and never splits a surrogate pair', () => {
    expect(echo('joe')).toBe('joe');
    expect(echo('a'.repeat(ECHO_CHARS))).toBe('a'.repeat(ECHO_CHARS));
    expect(echo(`${'a'.repeat(ECHO_CHARS - 1)}😀tail`)).toBe(`${'a'.repeat(ECHO_CHARS - 1)}…`);
  });
});

describe('encodeAudioFrame', () => {
  it('prefixes a little-endian sequence number', () => {
    const f = encodeAudioFrame(258, Uint8Array.of(9, 8));
    expect(Array.from(f)).toEqual([2, 1, 0, 0, 9, 8]);
  });
});
