import { describe, expect, it } from 'vitest';
import { RateState } from './state';

const T = 1_800_000_000_000;

describe('RateState sockets', () => {
  it('admits up to max sockets, renews known ones, frees on release', () => {
    const s = new RateState();
    expect(s.acquireSocket('a', 2, 60_000, T)).toEqual({ ok: true, active: 1 });
    expect(s.acquireSocket('b', 2, 60_000, T)).toEqual({ ok: true, active: 2 });
    expect(s.acquireSocket('c', 2, 60_000, T)).toEqual({ ok: false, active: 2 });
    expect(s.acquireSocket('a', 2, 60_000, T + 1)).toEqual({ ok: true, active: 2 });
    s.releaseSocket('b');
    expect(s.acquireSocket('c', 2, 60_000, T)).toEqual({ ok: true, active: 2 });
  });

  it('expires leases of sockets that were never released (a crashed isolate)', () => {
    const s = new RateState();
    s.acquireSocket('a', 1, 1000, T);
    expect(s.acquireSocket('b', 1, 1000, T + 999).ok).toBe(false);
    expect(s.acquireSocket('b', 1, 1000, T + 1000).ok).toBe(true);
  });
});

describe('RateState audio budget', () => {
  it('refuses once the window holds the limit, and says when to retry', () => {
    const s = new RateState();
    expect(s.charge(40, 60, 60_000, T).ok).toBe(true);
    expect(s.charge(25, 60, 60_000, T + 10_000)).toMatchObject({ ok: false, usedSeconds: 65 });
    const r = s.check(60, 60_000, T + 20_000);
    expect(r.ok).toBe(false);
    // The 40 s charged at T leave the window 60 s later.
    expect(r.retryAfterMs).toBe(T + 1000 + 60_000 - (T + 20_000));
    expect(s.check(60, 60_000, T + 61_000)).toMatchObject({ ok: true, usedSeconds: 25 });
    expect(s.check(60, 60_000, T + 71_000)).toMatchObject({ ok: true, usedSeconds: 0 });
  });

  it('keeps usage when sockets come and go', () => {
    const s = new RateState();
    s.charge(5, 60, 60_000, T);
    s.acquireSocket('a', 2, 1000, T + 10);
    s.releaseSocket('a');
    expect(s.check(60, 60_000, T + 20).usedSeconds).toBe(5);
  });

  it('ignores junk charges and keeps at most one bucket per second', () => {
    const s = new RateState();
    for (let i = 0; i < 100; i++) s.charge(0.5, 1000, 60_000, T + i * 10);
    s.charge(Number.NaN, 1000, 60_000, T);
    s.charge(-5, 1000, 60_000, T);
    expect(Object.keys(s.snapshot().usage).length).toBe(1);
    expect(s.check(1000, 60_000, T).usedSeconds).toBe(50);
  });
});

describe('AudioPacer', () => {
  it('lets a client run leadMs ahead of real time, then paces it to real time', async () => {
    const { AudioPacer } = await import('./pacer');
    let t = 0;
    const p = new AudioPacer(10_000, () => t);
    p.add(6000);
    expect(p.waitMs()).toBe(0);
    p.add(6000);
    expect(p.waitMs()).toBe(2000);
    t = 2000;
    expect(p.waitMs()).toBe(0);
    // Idle time is not credited: after a pause the lead starts again from now.
    t = 100_000;
    p.add(1000);
    expect(p.waitMs()).toBe(0);
  });

  it('does not pace audio that was made but never sent (a resumed request skipping what the client has)', async () => {
    const { AudioPacer } = await import('./pacer');
    const p = new AudioPacer(10_000, () => 0);
    p.add(50_000);
    expect(p.waitMs()).toBe(40_000);
    p.remove(45_000);
    expect(p.waitMs()).toBe(0);
  });
});
