/**
 * One queue for the isolate's model runs (acoustic chunks and vocoder windows of every socket and HTTP request), so
 * that a new request's first audio does not wait behind other requests' long paragraphs, and a stream about to run dry
 * does not wait behind streams far ahead of their listeners. Pure (no ORT).
 *
 * The isolate has one thread: model runs cannot overlap, only their order can be chosen. Each request awaits one run
 * at a time, so it has at most one job waiting here. Order: earliest deadline first, a request's deadline being when
 * its listener runs out of audio (its first audio plus the audio made since, played in real time) or, before its
 * first audio, `firstAudioMs` after it was created. Idle requests (the model warm-up) run only when no other job
 * waits; a turn granted to one and not yet taken goes to any other job that arrives.
 *
 * A request is absent from the queue between its runs (it rebuilds the phase, runs the inverse STFT, sends the audio),
 * and that is when a stream far ahead would otherwise start a run that cannot be interrupted (an acoustic chunk takes
 * 30-60 ms) while one close to running dry is about to come back. So a request that finished a run less than
 * `returnMs` ago and is less than `needyMs` from running dry is waited for, by jobs whose deadline is at least
 * `holdMarginMs` later than its own: the thread is busy with that request's own work meanwhile, so little is lost.
 */

export interface SchedulerOptions {
  /** A request that has sent no audio yet is due this long after it was created. @default 250 */
  firstAudioMs?: number;
  /** A request that finished a run less than this long ago is expected back (see above). @default 30 */
  returnMs?: number;
  /** Only requests due sooner than this are waited for. @default 1500 */
  needyMs?: number;
  /** ...and only by jobs due at least this much later. @default 150 */
  holdMarginMs?: number;
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
  private readonly firstAudioMs: number;
  private readonly returnMs: number;
  private readonly needyMs: number;
  private readonly holdMarginMs: number;
  private readonly staleMs: number;
  private readonly staleRunMs: number;
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly queue: Job[] = [];
  /** Requests that finished a run within `returnMs` and may come back with their next one. */
  private readonly recent = new Set<ScheduledRequest>();
  private active: Job | undefined;
  private seq = 0;
  /** Jobs run so far (tests, diagnostics). */
  runs = 0;

  constructor(opts: SchedulerOptions = {}) {
    this.firstAudioMs = opts.firstAudioMs ?? 250;
    this.returnMs = opts.returnMs ?? 30;
    this.needyMs = opts.needyMs ?? 1500;
    this.holdMarginMs = opts.holdMarginMs ?? 150;
    this.staleMs = opts.staleMs ?? 1000;
    this.staleRunMs = opts.staleRunMs ?? 30_000;
    this.now = opts.now ?? Date.now;
    this.pollMs = opts.pollMs ?? 1;
  }

  /** A handle for one request (a `speak` or an HTTP synthesis); its runs are ordered as above. */
  request(label = '', opts: { idle?: boolean } = {}): ScheduledRequest {
    return new ScheduledRequest(this, label, opts.idle ?? false, this.now() + this.firstAudioMs);
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
      const next = this.queue[this.best()] === job;
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
      if (!request.idle && !request.closed) {
        request.lastEndedAt = this.now();
        this.recent.add(request);
      }
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
    const next = this.best();
    if (next < 0 || this.held(this.queue[next]!, now)) return;
    const [job] = this.queue.splice(next, 1);
    this.active = job!;
    job!.grantedAt = now;
  }

  /** @internal A request ended: nobody waits for its next run. */
  forget(request: ScheduledRequest): void {
    this.recent.delete(request);
  }

  /** The queued job due first (idle jobs last, ties in arrival order), or -1. */
  private best(): number {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const job = this.queue[i]!;
      if (best < 0) {
        best = i;
        continue;
      }
      const other = this.queue[best]!;
      const d = job.request.deadline;
      const e = other.request.deadline;
      if (d < e || (d === e && job.seq < other.seq)) best = i;
    }
    return best;
  }

  /** Whether `job` should wait for a request due well before it that is between two of its runs (see above). */
  private held(job: Job, now: number): boolean {
    const due = job.request.deadline;
    for (const r of this.recent) {
      if (now - r.lastEndedAt >= this.returnMs || r.closed) {
        this.recent.delete(r);
        continue;
      }
      if (r === job.request || this.queue.some((j) => j.request === r)) continue;
      if (r.deadline < due - this.holdMarginMs && r.deadline - now < this.needyMs) return true;
    }
    return false;
  }
}

/** One request's view of the scheduler. */
export class ScheduledRequest {
  private firstAudioAt: number | undefined;
  private audioMs = 0;
  /** @internal When its last run ended. */
  lastEndedAt = 0;
  /** @internal */
  closed = false;

  constructor(
    private readonly scheduler: ModelScheduler,
    readonly label: string,
    /** Runs only when nothing else waits (warm-up). */
    readonly idle: boolean,
    /** When its first audio is due. */
    private readonly firstAudioDue: number,
  ) {}

  /** Runs `run` in its turn; `audioMs` is the audio it makes (a vocoder window), 0 for runs that make none. */
  run<T>(run: () => Promise<T>, audioMs = 0): Promise<T> {
    return this.scheduler.enqueue(this, run, audioMs);
  }

  /** The request has no more runs: jobs no longer wait for it. */
  close(): void {
    this.closed = true;
    this.scheduler.forget(this);
  }

  /** Whether audio of this request has been made (and so sent on). */
  get started(): boolean {
    return this.firstAudioAt !== undefined;
  }

  /** @internal When its listener runs out of audio (its first audio is due, before it has any); idle: never. */
  get deadline(): number {
    if (this.idle) return Infinity;
    return this.firstAudioAt === undefined ? this.firstAudioDue : this.firstAudioAt + this.audioMs;
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
