import { describe, expect, it } from 'vitest';
import { ModelScheduler, type ScheduledRequest, type SchedulerOptions } from './scheduler';

/** A job that stays running until released, so others can queue behind it. */
function gate(): { run: () => Promise<string>; open: () => void } {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { run: () => done.then(() => 'gate'), open };
}

/** A scheduler on a clock the test sets; by default nobody is waited for between runs (`returnMs` 0). */
function setup(opts: SchedulerOptions = { returnMs: 0 }) {
  let clock = 0;
  const order: string[] = [];
  const sched = new ModelScheduler({ ...opts, now: () => clock });
  const job = (req: ScheduledRequest, name: string, audioMs = 0) =>
    req.run(async () => {
      order.push(name);
      return name;
    }, audioMs);
  return { sched, order, job, setClock: (t: number) => (clock = t) };
}

describe('ModelScheduler', () => {
  it('runs a request that has not sent audio before one that has', async () => {
    const { sched, order, job } = setup();
    const long = sched.request('long');
    await job(long, 'long-window-1', 5000); // 5 s of audio ahead of real time
    expect(long.started).toBe(true);
    const g = gate();
    const blocked = sched.request().run(g.run);
    const pending = [job(long, 'long-window-2', 500), job(sched.request('short'), 'short-acoustic')];
    g.open();
    await Promise.all([blocked, ...pending]);
    expect(order).toEqual(['long-window-1', 'short-acoustic', 'long-window-2']);
  });

  it('lets a playing stream about to run dry go before new requests', async () => {
    const { sched, order, job } = setup();
    const playing = sched.request('playing');
    await job(playing, 'playing-1', 80); // only 80 ms of audio: it runs dry in 80 ms
    const g = gate();
    const blocked = sched.request().run(g.run);
    const pending = [job(sched.request('new'), 'new-acoustic'), job(playing, 'playing-2', 160)];
    g.open();
    await Promise.all([blocked, ...pending]);
    expect(order).toEqual(['playing-1', 'playing-2', 'new-acoustic']);
  });

  it('takes new requests in arrival order and playing ones by least audio ahead', async () => {
    const { sched, order, job } = setup();
    const far = sched.request('far');
    const near = sched.request('near');
    await job(far, 'far-1', 9000);
    await job(near, 'near-1', 2000);
    const g = gate();
    const blocked = sched.request().run(g.run);
    const a = sched.request('a');
    const b = sched.request('b');
    const pending = [job(far, 'far-2', 500), job(b, 'b-1'), job(near, 'near-2', 500), job(a, 'a-1')];
    g.open();
    await Promise.all([blocked, ...pending]);
    expect(order).toEqual(['far-1', 'near-1', 'b-1', 'a-1', 'near-2', 'far-2']);
  });

  it('interleaves streams window by window', async () => {
    const { sched, order, job } = setup();
    const stream = async (name: string) => {
      const req = sched.request(name);
      for (let i = 1; i <= 3; i++) {
        await job(req, `${name}${i}`, 500);
        await new Promise((r) => setTimeout(r, 0)); // what synthesizeStream does between windows
      }
    };
    await Promise.all([stream('a'), stream('b')]);
    expect(order).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('a stream close to running dry, between two runs, is waited for by streams far ahead', async () => {
    const { sched, order, job, setClock } = setup({ returnMs: 30 });
    const far = sched.request('far');
    await job(far, 'far-1', 5000);
    const near = sched.request('near');
    await job(near, 'near-1', 200); // ends at 0: 200 ms of audio, expected back with its next window
    const farNext = job(far, 'far-2', 500);
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['far-1', 'near-1']); // far-2 waits though nothing else is queued
    await job(near, 'near-2', 400);
    expect(order).toEqual(['far-1', 'near-1', 'near-2']);
    setClock(30); // near has not come back within returnMs
    await farNext;
    expect(order).toEqual(['far-1', 'near-1', 'near-2', 'far-2']);

    // Nor for a request that closed.
    await job(near, 'near-3', 100);
    near.close();
    await job(far, 'far-3', 500);
    expect(order.slice(4)).toEqual(['near-3', 'far-3']);
  });

  it('does not hold a job for a request due later than it, or not soon', async () => {
    const { sched, order, job } = setup({ returnMs: 30 });
    const ahead = sched.request('ahead');
    await job(ahead, 'ahead-1', 3000); // due in 3 s: more than needyMs away
    await job(sched.request('new'), 'new-acoustic'); // due at 250 ms, but ahead is not needy
    const near = sched.request('near');
    await job(near, 'near-1', 400);
    await job(sched.request('other'), 'other-acoustic'); // due at 250 ms: before near (400 ms), not held
    expect(order).toEqual(['ahead-1', 'new-acoustic', 'near-1', 'other-acoustic']);
  });

  it('never runs two jobs at once', async () => {
    const sched = new ModelScheduler();
    let active = 0;
    let most = 0;
    const run = async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
    };
    await Promise.all(Array.from({ length: 6 }, () => sched.request().run(run, 10)));
    expect(most).toBe(1);
    expect(sched.runs).toBe(6);
  });

  it('fails only the job that threw and goes on with the queue', async () => {
    const { sched, order, job } = setup();
    const g = gate();
    const blocked = sched.request().run(g.run);
    const bad = sched.request('bad').run(async () => {
      throw new Error('model failed');
    });
    const good = job(sched.request('good'), 'good');
    g.open();
    await blocked;
    await expect(bad).rejects.toThrow('model failed');
    await expect(good).resolves.toBe('good');
    expect(order).toEqual(['good']);
    expect(sched.waiting).toBe(0);
  });

  it('counts audio from the first window that made some', async () => {
    const { sched, job, setClock } = setup();
    const req = sched.request();
    await job(req, 'acoustic');
    expect(req.started).toBe(false);
    setClock(1000);
    await job(req, 'w1', 300);
    expect(req.slackMs(1000)).toBe(300);
    expect(req.slackMs(1200)).toBe(100);
  });

  it('moves on when the job holding the turn never finishes (its request is gone)', async () => {
    let clock = 0;
    const sched = new ModelScheduler({ now: () => clock, staleMs: 5, staleRunMs: 1000 });
    void sched.request('gone').run(() => new Promise(() => undefined));
    await new Promise((r) => setTimeout(r, 5));
    const next = sched.request('next').run(async () => 'ran');
    clock = 2000; // the hung run is now older than staleRunMs; the waiting job's own timer notices
    await expect(next).resolves.toBe('ran');
  });

  it('runs idle jobs only when nothing else waits, and gives an idle turn not yet taken to a request', async () => {
    const { sched, order, job } = setup();
    const warm = sched.request('warm-up', { idle: true });
    const g = gate();
    const blocked = sched.request().run(g.run);
    const pending = [job(warm, 'warm-1'), job(sched.request('a'), 'a-1')];
    g.open();
    await Promise.all([blocked, ...pending]);
    expect(order).toEqual(['a-1', 'warm-1']);
    // An idle job granted its turn (it wakes on its next poll) loses it to a request that arrives meanwhile.
    order.length = 0;
    const g2 = gate();
    const blocked2 = sched.request().run(g2.run);
    const idleRun = job(warm, 'warm-2');
    g2.open();
    await blocked2; // its end granted the turn to the idle job, which has not woken up yet
    const req = job(sched.request('b'), 'b-1');
    await Promise.all([idleRun, req]);
    expect(order).toEqual(['b-1', 'warm-2']);
  });
});
