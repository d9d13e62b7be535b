import { describe, expect, it } from 'vitest';
import { ModelTurns } from './scheduler';

describe('ModelTurns', () => {
  it('grants at once when free, then in earliest-deadline order, ties in arrival order', async () => {
    const t = new ModelTurns();
    const order: string[] = [];
    const first = await t.acquire(100);
    const waits = [
      ['late', 500],
      ['urgent', 10],
      ['mid-a', 200],
      ['mid-b', 200],
    ].map(([name, d]) =>
      t.acquire(d as number).then((release) => {
        order.push(name as string);
        release();
      }),
    );
    expect(t.queued).toBe(4);
    first();
    await Promise.all(waits);
    expect(order).toEqual(['urgent', 'mid-a', 'mid-b', 'late']);
    expect(t.queued).toBe(0);
  });

  it('a release called twice hands the turn over once', async () => {
    const t = new ModelTurns();
    const r = await t.acquire(1);
    let granted = 0;
    const a = t.acquire(2).then((x) => (granted++, x));
    const b = t.acquire(3).then((x) => (granted++, x));
    r();
    r();
    const ra = await a;
    expect(granted).toBe(1);
    ra();
    (await b)();
    expect(granted).toBe(2);
  });
});
