/**
 * Keeps synthesis at most `leadMs` ahead of real-time playback on one socket. workerd's WebSocket has no
 * `bufferedAmount` and the protocol has no acknowledgements, so a client that never reads would otherwise make the
 * isolate buffer every chunk it synthesises (up to the whole queue of requests) in memory. A client that plays the
 * audio as it arrives never waits: it holds at most `leadMs` of audio it has not played yet. Pure (clock injected).
 */
export class AudioPacer {
  /** When playback of everything produced so far would end, if it started as soon as it was produced. */
  private playEnd = 0;

  constructor(
    readonly leadMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** How long to wait before producing more audio (0 while within the lead). */
  waitMs(): number {
    return Math.max(0, this.playEnd - this.now() - this.leadMs);
  }

  /** Records `ms` of audio produced now. */
  add(ms: number): void {
    this.playEnd = Math.max(this.playEnd, this.now()) + ms;
  }

  /** Takes back `ms` of produced audio that was never sent (a resumed request's skipped chunks): nobody plays it. */
  remove(ms: number): void {
    this.playEnd -= ms;
  }
}
