/** `GET /v1/stream`: upgrades to a WebSocket and runs a protocol v1 session on it. */
import type { Context } from 'hono';
import { OpusStreamEncoder } from '../audio/opus';
import { workerOpusRuntime } from '../audio/opus/wasm-module';
import { phonemizeChunk } from '../phonemes';
import { StreamRequestError, StreamSession } from '../stream';
import { IncrementalChunker, planChunks } from '../text';
import { VoiceError } from '../voices';
import { authOf } from './auth';
import { limitsFrom, voiceAliasesFrom } from './config';
import { TokenBudget } from './limits';
import { getRuntime } from './runtime';

/** Maps voice lookup failures to protocol codes. */
export function voiceErrorToRequestError(err: unknown): unknown {
  if (!(err instanceof VoiceError)) return err;
  const code = err.kind === 'unknown' ? 'unknown_voice' : err.kind === 'malformed' ? 'bad_request' : 'internal';
  return new StreamRequestError(code, err.message);
}

export async function handleStream(c: Context<{ Bindings: Env }>): Promise<Response> {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    return c.json({ error: { message: 'expected a WebSocket upgrade', code: 'bad_request' } }, 426);
  }
  const budget = new TokenBudget(c.env, authOf(c).sub);
  const slot = await budget.acquireSocket();
  if (!slot.ok) {
    return c.json({ error: { message: `this token already has ${budget.limits.maxSockets} sockets open`, code: 'too_many_sockets' } }, 429);
  }
  const runtime = getRuntime(c.env.VOICES);
  // A fresh isolate starts loading the models now, while the client's first `speak` is still on its way.
  runtime?.models().catch(() => undefined);
  const pair = new WebSocketPair();
  const client = pair[0];
  const server = pair[1];
  // Binary frames would otherwise arrive as Blob in some runtimes; we only read text, but be explicit.
  server.binaryType = 'arraybuffer';
  server.accept();
  // A peer that vanished (connection reset) makes send throw before the close event arrives; without this the
  // session's error report would throw again and surface as an uncaught error.
  const send = (data: string | Uint8Array): void => {
    try {
      server.send(data);
    } catch {
      session.close();
    }
  };
  const session = new StreamSession({
    sendText: send,
    sendBinary: send,
    resolveVoice: async (spec) => {
      if (!runtime) throw new StreamRequestError('internal', 'the worker was built without models');
      budget.renewSocket();
      try {
        // The minute's audio budget is checked while the voice loads (both before `start`).
        const [voice] = await Promise.all([runtime.voices.resolve(spec, voiceAliasesFrom(c.env)), budget.admit()]);
        return voice;
      } catch (err) {
        throw voiceErrorToRequestError(err);
      }
    },
    synthesizer: (opts) => (runtime ? runtime.synthesizer().then((s) => budget.meter(s, opts)) : Promise.reject(new Error('the worker was built without models'))),
    planChunks,
    createChunker: () => new IncrementalChunker(),
    phonemize: phonemizeChunk,
    opusEncoder: (bitrate) => new OpusStreamEncoder(workerOpusRuntime(), { bitrate }),
    skippedAudio: (ms) => budget.unpace(ms),
    limits: limitsFrom(c.env),
    log: (m) => console.error(m),
  });
  // The close handler runs after the upgrade's response: without waitUntil workerd cancels the limiter call when the
  // socket ends, the slot stays held for its whole lease, and a client that reconnects ten times is locked out.
  const release = (): void => {
    const done = budget.releaseSocket();
    try {
      c.executionCtx.waitUntil(done);
    } catch {
      // No ExecutionContext (app.request() in tests): the promise still runs.
    }
  };
  server.addEventListener('message', (ev) => session.onMessage(ev.data as string | ArrayBuffer));
  server.addEventListener('close', () => {
    session.close();
    release();
    try {
      server.close(1000, 'bye');
    } catch {
      // already closed
    }
  });
  server.addEventListener('error', () => {
    session.close();
    release();
  });
  return new Response(null, { status: 101, webSocket: client });
}
