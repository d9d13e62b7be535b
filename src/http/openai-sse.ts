/**
 * `stream_format: "sse"`: the audio as server-sent events, OpenAI's shape: `speech.audio.delta` events carrying
 * base64 audio of the requested format, then one `speech.audio.done` with `usage`. Pure.
 */

export interface SpeechUsage {
  /** Phoneme ids the acoustic model read. */
  input_tokens: number;
  /** Acoustic frames it produced (one per ~11.6 ms of audio). */
  output_tokens: number;
  total_tokens: number;
}

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let s = '';
  // In slices: String.fromCharCode(...) of a whole body would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const event = (data: unknown): Uint8Array => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);

export const sseDelta = (audio: Uint8Array): Uint8Array => event({ type: 'speech.audio.delta', audio: base64(audio) });

export function sseDone(inputIds: number, frames: number): Uint8Array {
  const usage: SpeechUsage = { input_tokens: inputIds, output_tokens: frames, total_tokens: inputIds + frames };
  return event({ type: 'speech.audio.done', usage });
}

/** A failure after the stream started (the status is already 200): OpenAI's error object as a last event. */
export const sseError = (message: string, code: string): Uint8Array => event({ type: 'error', error: { message, type: 'server_error', param: null, code } });
