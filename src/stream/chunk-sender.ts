/** Chunk numbering, resume skipping and `ack` flow control of one request (docs/protocol.md). */
import { encodeAudioFrame, type ProtocolSpeak } from '../protocol';
import { StreamRequestError } from './errors';

/** What the sender reads of a request; the session updates `acked`, `cancelled` and calls `wake`. */
export interface ChunkSenderRequest {
  speak: Pick<ProtocolSpeak, 'resumeFrom' | 'ack'>;
  cancelled: boolean;
  /** Highest chunk seq the client acknowledged. */
  acked: number;
  /** Set while the sender waits for an acknowledgement. */
  wake: (() => void) | undefined;
}

/** The flow-control limits (StreamSessionLimits' fields of the same names). */
export interface ChunkSenderLimits {
  ackWindowMs: number;
  slowConsumerMs: number;
}

/**
 * Numbers a request's chunks and sends them, skipping those a resumed request already has, and, for `ack: true`
 * requests, waits while the client has too much audio unacknowledged (ending the request with `slow_consumer` when
 * it stays that way).
 */
export class ChunkSender {
  chunks = 0;
  /** Audio in all chunks so far, sent or skipped. */
  audioMs = 0;
  /** Audio before the first chunk this request sends (the resume point). */
  resumeMs = 0;
  firstSentAt: number | undefined;
  /** End of each chunk's audio, for turning an acknowledged seq into audio. */
  private readonly ends: number[] = [];

  constructor(
    private readonly req: ChunkSenderRequest,
    private readonly limits: ChunkSenderLimits,
    private readonly now: () => number,
    private readonly to: { write(frame: Uint8Array): void; skipped(ms: number): void },
  ) {}

  /** True once the chunks reach the resume point (always, for a request that is not resumed). */
  get resumed(): boolean {
    return this.chunks >= this.req.speak.resumeFrom;
  }

  async send(chunks: { payload: Uint8Array; ms: number }[]): Promise<void> {
    for (const chunk of chunks) {
      if (this.chunks < this.req.speak.resumeFrom) {
        this.resumeMs += chunk.ms;
        this.to.skipped(chunk.ms);
      } else {
        if (this.req.speak.ack) await this.awaitWindow();
        if (this.req.cancelled) return;
        this.firstSentAt ??= this.now();
        this.to.write(encodeAudioFrame(this.chunks, chunk.payload));
      }
      this.audioMs += chunk.ms;
      this.ends.push(this.audioMs);
      this.chunks++;
    }
  }

  private unackedMs(): number {
    const acked = Math.min(this.req.acked, this.ends.length - 1);
    return this.audioMs - Math.max(this.resumeMs, acked >= 0 ? this.ends[acked]! : 0);
  }

  private async awaitWindow(): Promise<void> {
    const { ackWindowMs, slowConsumerMs } = this.limits;
    let acked = this.req.acked;
    let since = this.now();
    while (!this.req.cancelled && this.unackedMs() > ackWindowMs) {
      if (this.req.acked !== acked) {
        acked = this.req.acked;
        since = this.now();
      }
      const left = slowConsumerMs - (this.now() - since);
      if (left <= 0) {
        throw new StreamRequestError(
          'slow_consumer',
          `the client acknowledged no audio for ${Math.round(slowConsumerMs / 1000)} s with ${Math.round(this.unackedMs() / 1000)} s unacknowledged; read faster or use format "opus"`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.req.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.req.wake = undefined;
    }
  }
}
