import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { phonemizeChunk } from '../src/phonemes';
import { boundedRuns, MAX_RUN_IDS, runIdCap } from '../src/stream';
import { planChunks } from '../src/text';
import { authHeaders, type Frame, openSocket, TestSocket } from './helpers';

// Bounded work per model run whatever the text: the worst 5,000-character inputs become many runs of at most
// MAX_RUN_IDS ids, ORT's wasm memory stays bounded, and another socket's stream keeps playing meanwhile.
export const WORST_INPUTS: Record<string, string> = {
  'one 5,000-letter word': 'a'.repeat(5000),
  '5,000 digits': '7'.repeat(5000),
  'a 5,000-char URL': `https://example.com/${'abcdefghij/'.repeat(450)}`.slice(0, 5000),
  'an acronym run': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(193).slice(0, 5000),
};
const VICTIM = 'The old lighthouse stood at the edge of the cliff, its lamp long dark. Every evening the keeper climbed the stairs anyway, counting each step out loud. Nobody knew why, and he never said.';

async function wasmBytes(): Promise<number> {
  const body = (await (await exports.default.fetch('http://x/healthz')).json()) as { memory: { wasmBytes: number } };
  return body.memory.wasmBytes;
}

/** Playback stall of a stream: how far the chunks fell behind real time, had playback started with the first. */
function stallMs(frames: Frame[], arrivals: number[], rate = 22050): { stallMs: number; maxGapMs: number } {
  let audioMs = 0;
  let stall = 0;
  let gap = 0;
  let start: number | undefined;
  frames.forEach((f, i) => {
    if (f.kind !== 'binary') return;
    const t = arrivals[i]!;
    start ??= t;
    stall = Math.max(stall, t - (start + audioMs));
    audioMs += (f.bytes.length / 2 / rate) * 1000;
    if (i > 0) gap = Math.max(gap, t - arrivals[i - 1]!);
  });
  return { stallMs: stall, maxGapMs: gap };
}

/** All frames of request `id` with their arrival times. */
async function timed(sock: TestSocket, id: string): Promise<{ frames: Frame[]; arrivals: number[] }> {
  const frames: Frame[] = [];
  const arrivals: number[] = [];
  for (;;) {
    const f = await sock.next(120_000);
    frames.push(f);
    arrivals.push(Date.now());
    if (f.kind === 'text' && f.msg.id === id && ['done', 'cancelled', 'error'].includes(f.msg.type)) return { frames, arrivals };
  }
}

describe('bounded acoustic runs', () => {
  it.each(Object.entries(WORST_INPUTS))('%s: every run has at most MAX_RUN_IDS ids, and there are many', (_name, text) => {
    const runs = planChunks(text).flatMap((c) => boundedRuns(c, phonemizeChunk));
    expect(runs.length).toBeGreaterThan(10);
    for (const r of runs) expect(r.phonemes.ids.length).toBeLessThanOrEqual(MAX_RUN_IDS);
    // Nothing is lost: every word of every chunk is in exactly one run.
    expect(runs.reduce((n, r) => n + r.chunk.words.length, 0)).toBe(planChunks(text).reduce((n, c) => n + c.words.length, 0));
  });

  it('the worst inputs at speed 0.5 keep ORT memory bounded while a victim socket streams without stalling', async () => {
    const e = { ...env, MAX_TEXT_CHARS: '5000', AUDIO_SECONDS_PER_MINUTE: '100000' } as unknown as Env;
    const { createApp } = await import('../src/http');
    const app = createApp();
    const attacker = new TestSocket((await app.request('/v1/stream', { headers: { Upgrade: 'websocket', ...(await authHeaders('bounds-attacker')) } }, e)).webSocket!);
    const victim = await openSocket('', await authHeaders('bounds-victim'));
    const report: string[] = [];
    let worstStall = 0;
    for (const [name, text] of Object.entries(WORST_INPUTS)) {
      const id = `w${report.length}`;
      attacker.send({ type: 'speak', id, text, voice: 'joe', speed: 0.5, chunkMs: 1000 });
      expect((await attacker.nextText()).type).toBe('start');
      // Let the attack get going (a few runs), then speak on the victim socket while it runs.
      let attackMs = 0;
      while (attackMs < 20_000) {
        const f = await attacker.next();
        if (f.kind === 'binary') attackMs += (f.bytes.length / 2 / 22050) * 1000;
        else if (f.msg.type !== 'words') throw new Error(`attack ended early: ${JSON.stringify(f.msg)}`);
      }
      const drain = (async () => {
        for (;;) {
          const f = await attacker.next();
          if (f.kind === 'text' && f.msg.id === id && f.msg.type !== 'words') return f.msg.type;
        }
      })();
      victim.send({ type: 'speak', id: `v-${id}`, text: VICTIM, voice: 'joe' });
      const v = await timed(victim, `v-${id}`);
      expect(v.frames.at(-1)).toMatchObject({ kind: 'text', msg: { type: 'done' } });
      attacker.send({ type: 'cancel', id });
      expect(await drain).toMatch(/^(cancelled|done)$/);
      const s = stallMs(v.frames, v.arrivals);
      worstStall = Math.max(worstStall, s.stallMs);
      report.push(`${name}: wasm ${(await wasmBytes() / 1e6).toFixed(1)} MB, victim stall ${s.stallMs} ms, max gap ${s.maxGapMs} ms`);
    }
    console.log(`bounded runs (speed 0.5: at most ${runIdCap(0.5)} ids per run):\n  ${report.join('\n  ')}`);
    const peak = await wasmBytes();
    // ORT's wasm memory never shrinks, so this is the isolate's peak so far (models + arena + activations).
    expect(peak).toBeLessThan(64 * 1024 * 1024);
    expect(worstStall).toBeLessThan(500);
    attacker.close();
    victim.close();
  });
});
