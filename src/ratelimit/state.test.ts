import { describe, expect, it } from 'vitest';
import { RateState } from './state';

const T = 1_800_000_000_000;

describe('RateState sockets', () => {
  it('admits up to max sockets, renews known ones, frees on release', () => {
    const s = new RateState();
    expect(s.acquire('sockets', 'a', 2, 60_000, T)).toEqual({ ok: true, active: 1 });
    expect(s.acquire('sockets', 'b', 2, 60_000, T)).toEqual({ ok: true, active: 2 });
    expect(s.acquire('sockets', 'c', 2, 60_000, T)).toEqual({ ok: false, active: 2 });
    expect(s.acquire('sockets', 'a', 2, 60_000, T + 1)).toEqual({ ok: true, active: 2 });
    s.release('sockets', 'b');
    expect(s.acquire('sockets', 'c', 2, 60_000, T)).toEqual({ ok: true, active: 2 });
  });

  it('expires leases of sockets that were never released (a crashed isolate)', () => {
    const s = new RateState();
    s.acquire('sockets', 'a', 1, 1000, T);
    expect(s.acquire('sockets', 'b', 1, 1000, T + 999).ok).toBe(false);
    expect(s.acquire('sockets', 'b', 1, 1000, T + 1000).ok).toBe(true);
  });
});

describe('RateState audio budget', () => {
  it('reserves all or nothing, refuses once the window holds the limit, and says when to retry', () => {
    const s = new RateState();
    expect(s.reserve(40, 60, 60_000, T)).toMatchObject({ ok: true, usedSeconds: 40 });
    // 25 more would make 65 > 60: refused whole, nothing charged.
    const r = s.reserve(25, 60, 60_000, T + 10_000);
    expect(r).toMatchObject({ ok: false, usedSeconds: 40 });
    // It fits once the 40 s reserved at T leave the window, 60 s later.
    expect(r.retryAfterMs).toBe(T + 1000 + 60_000 - (T + 10_000));
    expect(s.reserve(20, 60, 60_000, T + 10_000)).toMatchObject({ ok: true, usedSeconds: 60 });
    expect(s.check(60, 60_000, T + 20_000).ok).toBe(false);
    expect(s.check(60, 60_000, T + 61_000)).toMatchObject({ ok: true, usedSeconds: 20 });
    expect(s.check(60, 60_000, T + 71_000)).toMatchObject({ ok: true, usedSeconds: 0 });
  });

  it('never lets concurrent reservations together exceed the limit', () => {
    const s = new RateState();
    let granted = 0;
    for (let i = 0; i < 100; i++) if (s.reserve(7.3, 300, 60_000, T + i).ok) granted += 7.3;
    expect(granted).toBeLessThanOrEqual(300);
    expect(granted).toBeGreaterThan(300 - 7.3);
  });

  it('refunds what a stopped request never made', () => {
    const s = new RateState();
    const r = s.reserve(30, 60, 60_000, T);
    s.refund(12, r.at);
    expect(s.check(60, 60_000, T + 10).usedSeconds).toBeCloseTo(18);
    s.refund(100, r.at); // never below zero
    expect(s.check(60, 60_000, T + 10).usedSeconds).toBe(0);
  });

  it('keeps usage when sockets come and go', () => {
    const s = new RateState();
    s.reserve(5, 60, 60_000, T);
    s.acquire('sockets', 'a', 2, 1000, T + 10);
    s.release('sockets', 'a');
    expect(s.check(60, 60_000, T + 20).usedSeconds).toBe(5);
  });

  it('counts speech leases apart from sockets', () => {
    const s = new RateState();
    expect(s.acquire('sockets', 'a', 1, 1000, T).ok).toBe(true);
    expect(s.acquire('speech', 'b', 1, 1000, T).ok).toBe(true);
    expect(s.acquire('speech', 'c', 1, 1000, T).ok).toBe(false);
    s.release('speech', 'b');
    expect(s.acquire('speech', 'c', 1, 1000, T).ok).toBe(true);
  });

  it('ignores junk reservations and keeps at most one bucket per second', () => {
    const s = new RateState();
    for (let i = 0; i < 100; i++) s.reserve(0.5, 1000, 60_000, T + i * 10);
    s.reserve(Number.NaN, 1000, 60_000, T);
    s.reserve(-5, 1000, 60_000, T);
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
