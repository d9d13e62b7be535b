/** `GET /v1/stream`: upgrades to a WebSocket and runs a protocol v1 session on it. */
import type { Context } from 'hono';
import { phonemizeChunk } from '../phonemes';
import { StreamRequestError, StreamSession } from '../stream';
import { IncrementalChunker, planChunks } from '../text';
import { VoiceError } from '../voices';
import { limitsFrom } from './config';
import { getRuntime } from './runtime';

/** Maps voice lookup failures to protocol codes. */
export function voiceErrorToRequestError(err: unknown): unknown {
  if (!(err instanceof VoiceError)) return err;
  const code = err.kind === 'unknown' ? 'unknown_voice' : err.kind === 'malformed' ? 'bad_request' : 'internal';
  return new StreamRequestError(code, err.message);
}

export function handleStream(c: Context<{ Bindings: Env }>): Response {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    return c.json({ error: { message: 'expected a WebSocket upgrade', code: 'bad_request' } }, 426);
  }
  const runtime = getRuntime(c.env.VOICES);
  const pair = new WebSocketPair();
  const client = pair[0];
  const server = pair[1];
  // Binary frames would otherwise arrive as Blob in some runtimes; we only read text, but be explicit.
  server.binaryType = 'arraybuffer';
  server.accept();
  const session = new StreamSession({
    sendText: (text) => server.send(text),
    sendBinary: (frame) => server.send(frame),
    resolveVoice: async (spec) => {
      if (!runtime) throw new StreamRequestError('internal', 'the worker was built without models');
      try {
        return await runtime.voices.resolve(spec);
      } catch (err) {
        throw voiceErrorToRequestError(err);
      }
    },
    synthesizer: () => (runtime ? runtime.synthesizer() : Promise.reject(new Error('the worker was built without models'))),
    planChunks,
    createChunker: () => new IncrementalChunker(),
    phonemize: phonemizeChunk,
    limits: limitsFrom(c.env),
    log: (m) => console.error(m),
  });
  server.addEventListener('message', (ev) => session.onMessage(ev.data as string | ArrayBuffer));
  server.addEventListener('close', () => {
    session.close();
    try {
      server.close(1000, 'bye');
    } catch {
      // already closed
    }
  });
  server.addEventListener('error', () => session.close());
  return new Response(null, { status: 101, webSocket: client });
}
