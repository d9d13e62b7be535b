/**
 * Reconnect and resume bookkeeping, pure so it is tested without a browser or a socket:
 * the backoff schedule, what a request has received (for `resumeFrom`), and when to acknowledge.
 */
import type { TtsWord } from './wire';

export interface BackoffOptions {
  /** Delay before the first reconnect. @default 250 */
  initialMs?: number;
  /** Each delay is the previous one times this. @default 2 */
  factor?: number;
  /** Upper bound on one delay. @default 4000 */
  maxMs?: number;
  /** Reconnect attempts before giving up. @default 6 */
  tries?: number;
}

/** The delays before each reconnect attempt: 250, 500, 1000, 2000, 4000, 4000 ms by default. */
export function backoffDelays(options: BackoffOptions = {}): number[] {
  const { initialMs = 250, factor = 2, maxMs = 4000, tries = 6 } = options;
  if (!(initialMs >= 0) || !(factor >= 1) || !(maxMs >= 0) || !Number.isInteger(tries) || tries < 0) {
    throw new RangeError(`backoff: bad options ${JSON.stringify(options)}`);
  }
  const delays: number[] = [];
  for (let i = 0, d = initialMs; i < tries; i++, d *= factor) delays.push(Math.min(d, maxMs));
  return delays;
}

/**
 * What one request has received, across reconnects. Chunks are numbered from 0 in the request; after a drop the
 * request is sent again with `resumeFrom` = the first chunk it lacks, and anything at or below what it has (a
 * chunk or a word the server sends again) is dropped here.
 */
export class ResumeTracker {
  /** Highest chunk sequence number received, -1 before any. */
  lastSeq = -1;
  /** Connections after the first that this request was re-sent on. */
  reconnects = 0;
  private lastWordStartMs = -Infinity;
  /** endMs of the last word received, or null before any: sent as `wordsAfterMs` on resume. */
  lastWordEndMs: number | null = null;

  /** Records chunk `seq`; false when it is a repeat (or out of order) and must not be decoded again. */
  acceptChunk(seq: number): boolean {
    if (seq <= this.lastSeq) return false;
    this.lastSeq = seq;
    return true;
  }

  /** The `resumeFrom` to send on the next connection (0: from the start). */
  get resumeFrom(): number {
    return this.lastSeq + 1;
  }

  /**
   * `wordsAfterMs` for a resumed `speak`: the end of the last word received, or 0 (every word) when none came. A
   * `words` message travels after the chunks it describes, so a drop can lose it although its audio arrived.
   */
  get wordsAfterMs(): number {
    return this.lastWordEndMs ?? 0;
  }

  /** Words not yet seen; a safety net should the server repeat any after a resume. */
  acceptWords(words: readonly TtsWord[]): TtsWord[] {
    const fresh = words.filter((w) => w.startMs > this.lastWordStartMs);
    const last = fresh[fresh.length - 1];
    if (last) {
      this.lastWordStartMs = last.startMs;
      this.lastWordEndMs = last.endMs;
    }
    return fresh;
  }
}

/**
 * When to send `{"type":"ack","seq"}`: for the first chunk, then at most once per `intervalMs`; a chunk that arrives
 * sooner is left to a timer (`dueInMs`), so the last chunks of a request are acknowledged too.
 */
export class AckBatcher {
  private lastAckedSeq = -1;
  private lastAckAt = -Infinity;
  private pendingSeq = -1;

  constructor(private readonly intervalMs = 100) {}

  /** A chunk arrived at `now` (ms). Returns the seq to acknowledge now, or null (then see `dueInMs`). */
  onChunk(seq: number, now: number): number | null {
    this.pendingSeq = Math.max(this.pendingSeq, seq);
    if (now - this.lastAckAt >= this.intervalMs) return this.take(now);
    return null;
  }

  /** Milliseconds until an unacknowledged chunk is due, or null when none waits. */
  dueInMs(now: number): number | null {
    if (this.pendingSeq <= this.lastAckedSeq) return null;
    return Math.max(0, this.lastAckAt + this.intervalMs - now);
  }

  /** The seq to acknowledge now if any chunk waits (the timer fired), else null. */
  flush(now: number): number | null {
    return this.pendingSeq > this.lastAckedSeq ? this.take(now) : null;
  }

  private take(now: number): number {
    this.lastAckedSeq = this.pendingSeq;
    this.lastAckAt = now;
    return this.pendingSeq;
  }
}
