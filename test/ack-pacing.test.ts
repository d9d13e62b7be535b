import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/index';
import { authHeaders, TestSocket } from './helpers';

// A request with `ack: true` is paced by its acknowledgement window only, not by the socket's lead over real time
// (AUDIO_LEAD_SECONDS); requests without `ack` keep that lead (docs/protocol.md). The worker runs here with a 1 s lead.
const TEXT = 'The lighthouse keeper climbed the stairs each evening, counting every step out loud as he went.';

async function socketWithLead(leadSeconds: number): Promise<TestSocket> {
  const withLead = { ...env, AUDIO_LEAD_SECONDS: String(leadSeconds), MAX_SOCKETS_PER_TOKEN: '100' } as unknown as Env;
  const req = new Request('http://worker/v1/stream', { headers: { Upgrade: 'websocket', ...(await authHeaders('ack-pacing')) } });
  const res = await app.fetch(req, withLead, createExecutionContext());
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status}`);
  return new TestSocket(res.webSocket);
}

/** Speaks TEXT and acknowledges each chunk at once when `ack`; returns the wall time and the audio's length. */
async function speak(sock: TestSocket, id: string, ack: boolean): Promise<{ wallMs: number; audioMs: number }> {
  const t0 = Date.now();
  sock.send({ type: 'speak', id, text: TEXT, voice: 'joe', ack });
  for (;;) {
    const f = await sock.next();
    if (f.kind === 'binary') {
      if (ack) sock.send({ type: 'ack', id, seq: f.seq });
      continue;
    }
    if (f.msg.type === 'error') throw new Error(`${String(f.msg.code)}: ${String(f.msg.message)}`);
    if (f.msg.type === 'done') return { wallMs: Date.now() - t0, audioMs: Number(f.msg.audioMs) };
  }
}

describe('pacing of acknowledged requests', () => {
  it('ack lifts the lead; without ack the same socket is held to real time minus the lead', async () => {
    const sock = await socketWithLead(1);
    // First the acknowledged request, so it cannot ride on lead the other one left unused.
    const acked = await speak(sock, 'acked', true);
    const paced = await speak(sock, 'paced', false);
    expect(acked.audioMs).toBeGreaterThan(4000);
    expect(paced.audioMs).toBe(acked.audioMs);
    // Without ack: synthesis may run at most 1 s ahead of playback, so the request takes about its audio minus 1 s.
    expect(paced.wallMs).toBeGreaterThan(paced.audioMs - 1000 - 300);
    // With ack (each chunk acknowledged at once): as fast as the model makes it, far under real time, and the
    // acknowledged audio did not count towards the lead the second request then had.
    expect(acked.wallMs).toBeLessThan(acked.audioMs / 2);
    sock.close();
  });
});
