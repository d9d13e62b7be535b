/**
 * Whose model run goes next in this isolate: earliest deadline first. One thread serves every stream of the isolate,
 * and between model calls each stream yields; without an order, a burst of streams that are already far ahead of
 * their listeners (a client reading a long text as fast as it can, an HTTP body read at full speed) would take turns
 * with a stream whose listener is about to run out of audio, and that one would stall. A stream's deadline is when its
 * listener runs out: the time of its first audio plus the audio made since (before the first audio: when the request
 * started, so time to first audio stays short). A stream far ahead therefore waits while any stream closer to running
 * dry wants a turn; the ahead stream loses nothing its listener needs. Pure (no timers; the caller yields).
 */
export class ModelTurns {
  private busy = false;
  private readonly waiting: { deadline: number; seq: number; grant: () => void }[] = [];
  private seq = 0;

  /** Waits for the model; the returned function hands it to the waiter with the earliest deadline. */
  async acquire(deadline: number): Promise<() => void> {
    if (this.busy) {
      await new Promise<void>((grant) => {
        this.waiting.push({ deadline, seq: this.seq++, grant });
      });
    }
    this.busy = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.handOver();
    };
  }

  /** Streams waiting for a turn now. */
  get queued(): number {
    return this.waiting.length;
  }

  private handOver(): void {
    if (this.waiting.length === 0) {
      this.busy = false;
      return;
    }
    let best = 0;
    for (let i = 1; i < this.waiting.length; i++) {
      const w = this.waiting[i]!;
      const b = this.waiting[best]!;
      if (w.deadline < b.deadline || (w.deadline === b.deadline && w.seq < b.seq)) best = i;
    }
    const [next] = this.waiting.splice(best, 1);
    // Still busy: the model passes straight to `next`.
    next!.grant();
  }
}

/** The isolate's one model (ORT runs one call at a time on one thread). */
export const modelTurns = new ModelTurns();
