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
 *    streams window by window and lets a stream that is far ahead wait.
 * The queue yields to the event loop between jobs, so sockets' messages (a new `speak`) are read between windows.
 */

export interface SchedulerOptions {
  /** A playing stream with less audio than this ahead of real time goes first. @default 100 */
  urgentMs?: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** Lets the event loop run between jobs. @default a zero timeout */
  yieldToEventLoop?: () => Promise<void>;
}

interface Job {
  request: ScheduledRequest;
  seq: number;
  run: () => Promise<unknown>;
  audioMs: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const zeroTimeout = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class ModelScheduler {
  private readonly urgentMs: number;
  private readonly now: () => number;
  private readonly yieldToEventLoop: () => Promise<void>;
  private readonly queue: Job[] = [];
  private seq = 0;
  private running = false;
  /** Jobs run so far (tests, diagnostics). */
  runs = 0;

  constructor(opts: SchedulerOptions = {}) {
    this.urgentMs = opts.urgentMs ?? 100;
    this.now = opts.now ?? Date.now;
    this.yieldToEventLoop = opts.yieldToEventLoop ?? zeroTimeout;
  }

  /** A handle for one request (a `speak` or an HTTP synthesis); its runs are ordered as above. */
  request(label = ''): ScheduledRequest {
    return new ScheduledRequest(this, label);
  }

  /** Jobs waiting now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** @internal Queues `run` for `request`; it yields `audioMs` of audio once done (0 for the acoustic model). */
  enqueue<T>(request: ScheduledRequest, run: () => Promise<T>, audioMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request, seq: this.seq++, run, audioMs, resolve: resolve as (v: unknown) => void, reject });
      void this.pump();
    });
  }

  private pick(): number {
    const now = this.now();
    let urgent = -1;
    let first = -1;
    let earliest = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const job = this.queue[i]!;
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
    return first >= 0 ? first : earliest;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const [job] = this.queue.splice(this.pick(), 1);
        try {
          const value = await job!.run();
          job!.request.produced(job!.audioMs, this.now());
          job!.resolve(value);
        } catch (err) {
          job!.reject(err); // ends that request only; the queue goes on
        }
        this.runs++;
        await this.yieldToEventLoop();
      }
    } finally {
      this.running = false;
    }
  }
}

/** One request's view of the scheduler. */
export class ScheduledRequest {
  private firstAudioAt: number | undefined;
  private audioMs = 0;

  constructor(
    private readonly scheduler: ModelScheduler,
    readonly label: string,
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
