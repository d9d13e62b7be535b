import { describe, expect, it } from 'vitest';
import { defaultSampleRate, MODEL_SPEED_MAX, parseSpeechRequest, SpeechError } from './openai-request';

const parse = (body: Record<string, unknown>) => parseSpeechRequest({ input: 'Hi.', voice: 'alloy', ...body }, 100);
const refusal = (body: unknown): SpeechError => {
  try {
    parseSpeechRequest(body, 100);
  } catch (err) {
    if (err instanceof SpeechError) return err;
    throw err;
  }
  throw new Error('accepted');
};

describe('parseSpeechRequest', () => {
  it("fills OpenAI's defaults: mp3, audio stream, speed 1, this service's model", () => {
    expect(parse({})).toEqual({ input: 'Hi.', voice: 'alloy', model: 'edge-tts-1', format: 'mp3', sse: false, speed: 1, sampleRate: undefined, bitrate: undefined });
  });

  it('accepts the custom-voice object, every OpenAI model id and sse', () => {
    expect(parse({ voice: { id: 'joe' } }).voice).toBe('joe');
    for (const model of ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts']) expect(parse({ model }).model).toBe(model);
    expect(parse({ stream_format: 'sse' }).sse).toBe(true);
  });

  it('asks the model for at most MODEL_SPEED_MAX, accepting all of 0.25–4', () => {
    expect(parse({ speed: 0.25 }).speed).toBe(0.25);
    expect(parse({ speed: 4 }).speed).toBe(MODEL_SPEED_MAX);
  });

  it.each([
    [{ input: 'x', voice: 'a', speed: 0.2 }, 'speed'],
    [{ input: 'x', voice: 'a', speed: Number.NaN }, 'speed'],
    [{ input: 'x', voice: 'a', speed: '1' }, 'speed'],
    [{ input: 'x'.repeat(101), voice: 'a' }, 'input'],
    [{ input: 42, voice: 'a' }, 'input'],
    [{ input: 'x', voice: '' }, 'voice'],
    [{ input: 'x', voice: { name: 'a' } }, 'voice'],
    [{ input: 'x', voice: 'a', model: 7 }, 'model'],
    [{ input: 'x', voice: 'a', instructions: 3 }, 'instructions'],
    [{ input: 'x', voice: 'a', bitrate: 24000 }, 'bitrate'],
    [{ input: 'x', voice: 'a', response_format: 'opus', sample_rate: 24000 }, 'sample_rate'],
    [{ input: 'x', voice: 'a', response_format: 'wav', sample_rate: 44100 }, 'sample_rate'],
  ])('refuses %j (param %s)', (body, param) => {
    const e = refusal(body);
    expect(e.status).toBe(400);
    expect(e.param).toBe(param);
    expect(e.body().error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('refuses a body that is not an object, with no param', () => {
    for (const body of [null, [], 'x', 3]) expect(refusal(body).param).toBeNull();
  });

  it('writes pcm at 24 kHz, opus at its 48 kHz decode rate, the rest at the model rate', () => {
    expect(defaultSampleRate('pcm', 22050)).toBe(24000);
    expect(defaultSampleRate('opus', 22050)).toBe(48000);
    for (const f of ['mp3', 'flac', 'wav'] as const) expect(defaultSampleRate(f, 22050)).toBe(22050);
  });
});
