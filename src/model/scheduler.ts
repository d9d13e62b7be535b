/**
 * One queue for the isolate's model runs (acoustic chunks and vocoder windows of every socket and HTTP request), so
 * that a new request's first audio does not wait behind other requests' long paragraphs. Pure (no ORT).
 *
 * The isolate has one thread: model runs cannot overlap, only their order can be chosen. Each request awaits one run
 * at a time, so it has at most one job waiting here. Next job:
 * 1. a request that has sent audio and would run dry within `urgentMs` (its audio so far, played in real time from
 *    its first audio, ends that soon): the one closest to running dry, so streams already playing stay real-time;
 * 2. otherwise a request that has not sent audio yet, oldest first (its first chunk and first window are short, so
 *    these jobs are the short ones);
 * 3. otherwise the request with the least audio ahead of real time (earliest deadline first), which interleaves
 *    streams window by window and lets a stream that is far ahead wait;
 * 4. idle requests (the model warm-up) only when no other job waits; a turn granted to one and not yet taken goes to
 *    any other job that arrives.
 */

export interface SchedulerOptions {
  /** A playing stream with less audio than this ahead of real time goes first. @default 100 */
  urgentMs?: number;
  /** A turn granted but not taken within this long is given to the next job (its request's context ended). @default 1000 */
  staleMs?: number;
  /** A job running longer than this is taken to belong to a request whose context is gone. @default 30000 */
  staleRunMs?: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** How often the next job checks whether its turn has come, on a timer of its own request (others: 5x). @default 1 */
  pollMs?: number;
}

interface Job {
  request: ScheduledRequest;
  seq: number;
  grantedAt: number;
  /** Set when the job woke up in its own request and started. */
  startedAt: number | undefined;
}


/**
 * Each job waits for its turn on timers of its own request, and runs there. It is never woken by another request
 * resolving a promise: in workerd the continuation would then run in that other request's context (its I/O and
 * timers, which die with it). A socket that closes mid-queue cannot stall the others: a turn it never takes goes to
 * the next job after `staleMs`.
 */
export class ModelScheduler {
  private readonly urgentMs: number;
  private readonly staleMs: number;
  private readonly staleRunMs: number;
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly queue: Job[] = [];
  private active: Job | undefined;
  private seq = 0;
  /** Jobs run so far (tests, diagnostics). */
  runs = 0;

  constructor(opts: SchedulerOptions = {}) {
    this.urgentMs = opts.urgentMs ?? 100;
    this.staleMs = opts.staleMs ?? 1000;
    this.staleRunMs = opts.staleRunMs ?? 30_000;
    this.now = opts.now ?? Date.now;
    this.pollMs = opts.pollMs ?? 1;
  }

  /** A handle for one request (a `speak` or an HTTP synthesis); its runs are ordered as above. */
  request(label = '', opts: { idle?: boolean } = {}): ScheduledRequest {
    return new ScheduledRequest(this, label, opts.idle ?? false);
  }

  /** Jobs waiting now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** @internal Runs `run` for `request` in its turn; it makes `audioMs` of audio (0 for the acoustic model). */
  async enqueue<T>(request: ScheduledRequest, run: () => Promise<T>, audioMs: number): Promise<T> {
    const job: Job = { request, seq: this.seq++, grantedAt: 0, startedAt: undefined };
    this.queue.push(job);
    // Waiting on timers also lets the event loop read sockets' messages (a new `speak`) between runs.
    for (this.dispatch(); this.active !== job; this.dispatch()) {
      // Only the job that would be granted next checks every pollMs; the others less often (timer wake-ups cost CPU).
      const next = this.queue.length > 0 && this.queue[this.pick(this.now())] === job;
      await new Promise((resolve) => setTimeout(resolve, next ? this.pollMs : this.pollMs * 5));
      if (this.active !== job && !this.queue.includes(job)) this.queue.push(job); // its turn was taken back
    }
    try {
      job.startedAt = this.now();
      const value = await run();
      request.produced(audioMs, this.now());
      return value;
    } finally {
      if (this.active === job) this.active = undefined;
      this.runs++;
      this.dispatch();
    }
  }

  private dispatch(): void {
    const now = this.now();
    const held = this.active;
    if (held) {
      const waiting = held.startedAt === undefined;
      const stale = held.startedAt === undefined ? now - held.grantedAt > this.staleMs : now - held.startedAt > this.staleRunMs;
      const preempted = waiting && held.request.idle && this.queue.some((j) => !j.request.idle);
      if (!stale && !preempted) return;
      this.active = undefined;
    }
    if (this.queue.length === 0) return;
    const [job] = this.queue.splice(this.pick(now), 1);
    this.active = job!;
    job!.grantedAt = now;
  }

  private pick(now: number): number {
    let urgent = -1;
    let first = -1;
    let earliest = -1;
    let idle = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const job = this.queue[i]!;
      if (job.request.idle) {
        if (idle < 0 || job.seq < this.queue[idle]!.seq) idle = i;
        continue;
      }
      const slack = job.request.slackMs(now);
      if (slack === undefined) {
        if (first < 0 || job.seq < this.queue[first]!.seq) first = i;
        continue;
      }
      const best = earliest < 0 ? Infinity : this.queue[earliest]!.request.slackMs(now)!;
      if (slack < best || (slack === best && job.seq < this.queue[earliest]!.seq)) earliest = i;
      if (slack < this.urgentMs && (urgent < 0 || slack < this.queue[urgent]!.request.slackMs(now)!)) urgent = i;
    }
    if (urgent >= 0) return urgent;
    if (first >= 0) return first;
    return earliest >= 0 ? earliest : idle;
  }
}

/** One request's view of the scheduler. */
export class ScheduledRequest {
  private firstAudioAt: number | undefined;
  private audioMs = 0;

  constructor(
    private readonly scheduler: ModelScheduler,
    readonly label: string,
    /** Runs only when nothing else waits (warm-up). */
    readonly idle: boolean,
  ) {}

  /** Runs `run` in its turn; `audioMs` is the audio it makes (a vocoder window), 0 for runs that make none. */
  run<T>(run: () => Promise<T>, audioMs = 0): Promise<T> {
    return this.scheduler.enqueue(this, run, audioMs);
  }

  /** Whether audio of this request has been made (and so sent on). */
  get started(): boolean {
    return this.firstAudioAt !== undefined;
  }

  /** @internal How long before this request's audio, played in real time from its first audio, runs out. */
  slackMs(now: number): number | undefined {
    return this.firstAudioAt === undefined ? undefined : this.firstAudioAt + this.audioMs - now;
  }

  /** @internal */
  produced(audioMs: number, now: number): void {
    if (audioMs <= 0) return;
    this.firstAudioAt ??= now;
    this.audioMs += audioMs;
  }
}
