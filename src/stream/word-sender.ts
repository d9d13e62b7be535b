/**
 * The `words` messages of one request: entries per written token (WrittenWords), each sent once the audio it times
 * has been sent, and for a resumed request only those the client lacks (docs/protocol.md, resume).
 */
import type { ProtocolWord } from '../protocol';
import { WrittenWords, type SpokenWord } from './written-words';

/** What the sender reads of the request's audio so far (a ChunkSender). */
export interface SentAudio {
  /** Audio in all chunks so far, sent or skipped. */
  readonly audioMs: number;
  /** Audio before the first chunk the request sends. */
  readonly resumeMs: number;
  /** The chunks have reached the resume point. */
  readonly resumed: boolean;
}

export class WordSender {
  private readonly written: WrittenWords;
  /** Entries whose audio is not sent yet, in order. */
  private readonly waiting: ProtocolWord[] = [];

  /** `read(start, end)`: the request's text in that span. */
  constructor(
    private readonly audio: SentAudio,
    private readonly resume: { resumeFrom: number; wordsAfterMs: number | undefined },
    read: (start: number, end: number) => string,
    private readonly send: (words: ProtocolWord[]) => void,
  ) {
    this.written = new WrittenWords(read);
  }

  /** The spoken words of the latest piece of audio. */
  add(words: readonly SpokenWord[]): void {
    this.waiting.push(...this.written.push(words));
  }

  /** Sends the entries whose audio has been sent. */
  sendReady(): void {
    let n = 0;
    while (n < this.waiting.length && this.waiting[n]!.endMs <= this.audio.audioMs + 0.5) n++;
    this.emit(this.waiting.splice(0, n));
  }

  /** No more words of the last token read are coming for now (the text source waits for the client). */
  tokenEnded(): void {
    this.waiting.push(...this.written.flush());
    this.sendReady();
  }

  /** The request's audio is all sent: everything left goes. */
  finish(): void {
    this.waiting.push(...this.written.flush());
    this.emit(this.waiting.splice(0));
  }

  private emit(list: ProtocolWord[]): void {
    // A resumed request repeats no word the client already has: those that end by its last word (when it says),
    // else those that end before the resume point.
    const { resumeFrom, wordsAfterMs } = this.resume;
    const after = wordsAfterMs ?? this.audio.resumeMs;
    const fresh = resumeFrom === 0 ? list : list.filter((w) => (wordsAfterMs !== undefined || this.audio.resumed) && w.endMs > after);
    if (fresh.length > 0) this.send(fresh);
  }
}
