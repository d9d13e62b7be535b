/** Integration-test helpers: open a protocol v1 WebSocket against the real worker and read its frames in order. */
import { env, exports } from 'cloudflare:workers';
import { signToken } from '../src/auth';
import { bundle } from '../vendor/models';

/** Where the worker's models came from: `models-int8` (the real export) in CI; see scripts/gen-models.mjs. */
export const modelSource = bundle?.source;
/** The bundle is the real int8 export (speech claims are only tested with it, never with a throwaway model). */
export const realModels = modelSource === 'models-int8';

export type Frame = ({ kind: 'text'; msg: Record<string, unknown> & { type: string } } | { kind: 'binary'; seq: number; bytes: Uint8Array }) & {
  /** Arrival order across all test sockets. */
  order?: number;
};

let arrivals = 0;

export class TestSocket {
  private readonly frames: Frame[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  constructor(readonly ws: WebSocket) {
    // Binary frames arrive as Blob in vitest-pool-workers unless set before accept().
    ws.binaryType = 'arraybuffer';
    ws.accept();
    ws.addEventListener('message', (ev) => {
      const order = arrivals++;
      if (typeof ev.data === 'string') this.frames.push({ kind: 'text', msg: JSON.parse(ev.data), order });
      else {
        const buf = ev.data as ArrayBuffer;
        this.frames.push({ kind: 'binary', seq: new DataView(buf).getUint32(0, true), bytes: new Uint8Array(buf, 4), order });
      }
      this.waiter?.();
    });
    ws.addEventListener('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Next frame, in arrival order. */
  async next(timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('socket closed');
      if (Date.now() > deadline) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 200);
      });
      this.waiter = undefined;
    }
    return this.frames.shift()!;
  }

  /** Next text message (fails on a binary frame). */
  async nextText(): Promise<Record<string, unknown> & { type: string }> {
    const f = await this.next();
    if (f.kind !== 'text') throw new Error(`expected a text frame, got binary seq ${f.seq}`);
    return f.msg;
  }

  /** Frames up to and including the terminal message (done/cancelled/error) of request `id`. */
  async untilEnd(id: string): Promise<Frame[]> {
    const out: Frame[] = [];
    for (;;) {
      const f = await this.next();
      out.push(f);
      if (f.kind === 'text' && f.msg.id === id && ['done', 'cancelled', 'error'].includes(f.msg.type)) return out;
    }
  }

  close(): void {
    this.ws.close(1000, 'test done');
  }
}

/**
 * A token for the worker under test, signed with the AUTH_SECRET that vitest.config.ts gives it (auth is on in the
 * tests, as deployed). Each subject has its own limits, so tests that count limits use a subject of their own.
 */
export function testToken(sub = 'test', scopes: string[] = [], ttlSeconds = 600): Promise<string> {
  const secret = (env as unknown as { AUTH_SECRET: string }).AUTH_SECRET;
  return signToken(secret, { sub, exp: Math.floor(Date.now() / 1000) + ttlSeconds, scopes });
}

/** Headers with a Bearer token for `sub`. */
export async function authHeaders(sub = 'test', scopes: string[] = []): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await testToken(sub, scopes)}` };
}

/** `exports.default.fetch` with a token for the shared test subject unless the request brings its own Authorization. */
export async function workerFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${await testToken()}`);
  return exports.default.fetch(url, { ...init, headers });
}

export async function openSocket(query = '', headers: Record<string, string> = {}): Promise<TestSocket> {
  const res = await exports.default.fetch(`http://worker/v1/stream${query}`, { headers: { Upgrade: 'websocket', ...(await authHeaders()), ...headers } });
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  return new TestSocket(res.webSocket);
}

/** Checks one request's frames follow the contract; returns its audio chunks and words. */
export function checkRequest(frames: Frame[], id: string): { chunks: Uint8Array[]; words: { text: string; startMs: number; endMs: number }[]; done: Record<string, unknown> } {
  const first = frames[0];
  if (!first || first.kind !== 'text' || first.msg.type !== 'start' || first.msg.id !== id) throw new Error(`request ${id}: first frame is not its start`);
  const chunks: Uint8Array[] = [];
  const words: { text: string; startMs: number; endMs: number }[] = [];
  for (const f of frames.slice(1, -1)) {
    if (f.kind === 'binary') {
      if (f.seq !== chunks.length) throw new Error(`request ${id}: seq ${f.seq} after ${chunks.length} chunks`);
      chunks.push(f.bytes);
    } else if (f.msg.type === 'words' && f.msg.id === id) {
      words.push(...(f.msg.words as typeof words));
    } else {
      throw new Error(`request ${id}: unexpected ${JSON.stringify(f.msg)} between start and done`);
    }
  }
  const last = frames[frames.length - 1]!;
  if (last.kind !== 'text' || last.msg.type !== 'done') throw new Error(`request ${id}: ended with ${JSON.stringify(last)}`);
  return { chunks, words, done: last.msg };
}
