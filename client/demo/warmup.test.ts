import { describe, expect, it } from 'vitest';
import { checkServer } from './warmup';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('checkServer', () => {
  it('a fast answer is ready and warm, without the starting state', async () => {
    let starting = 0;
    const r = await checkServer({ fetch: async () => json({ ok: true, loadMs: 3100 }), onStarting: () => starting++, slowAfterMs: 50 });
    expect(r).toMatchObject({ state: 'ready', cold: false, loadMs: 3100, detail: null });
    await after(80, null);
    expect(starting).toBe(0); // the timer was cleared
  });

  it('a slow answer shows the starting state once, then is ready and cold', async () => {
    const seen: number[] = [];
    let t = 0;
    const r = await checkServer({
      fetch: (url) => (expect(url).toBe('/healthz'), after(120, json({ ok: true, loadMs: 110 }))),
      onStarting: () => seen.push(1),
      slowAfterMs: 30,
      now: () => (t += 100),
    });
    expect(seen).toEqual([1]);
    expect(r).toMatchObject({ state: 'ready', cold: true, loadMs: 110, waitedMs: 100 });
  });

  it('a server without models or an unreachable one is an error with the reason', async () => {
    const noModels = await checkServer({ fetch: async () => json({ ok: false, error: 'the worker was built without models' }, 503), onStarting: () => {} });
    expect(noModels).toMatchObject({ state: 'error', detail: 'the server is not ready: the worker was built without models' });
    const down = await checkServer({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')), onStarting: () => {} });
    expect(down).toMatchObject({ state: 'error', detail: 'the server did not answer: Failed to fetch' });
    const html = await checkServer({ fetch: async () => new Response('<html>', { status: 502 }), onStarting: () => {} });
    expect(html).toMatchObject({ state: 'error', detail: 'the server is not ready: HTTP 502' });
  });
});
