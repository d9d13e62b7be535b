/**
 * Contract checker for the server side of a protocol v1 socket, used by the fuzz tests: every text frame is a valid
 * server message, binary frames belong to the running request with contiguous sequence numbers, a request's life is
 * start → chunks/words → done|cancelled|error, and nothing is sent for a request after it ended.
 */
const CODES = new Set(['bad_request', 'unknown_voice', 'text_too_long', 'unsupported_format', 'rate_limited', 'busy', 'slow_consumer', 'internal']);
const RATES = new Set([16000, 22050, 24000]);

export class ContractChecker {
  private current: { id: string; chunks: number; resumeFrom: number } | undefined;
  private readonly ended = new Set<string>();
  readonly errors: { id: string | null; code: string; message: string }[] = [];
  readonly done: Record<string, unknown>[] = [];
  /** Every `start` seen, so a fuzz run can show it reached the formats and resumes it meant to. */
  readonly starts: { format: string; resumeFrom: number }[] = [];

  private fail(why: string, frame: unknown): never {
    throw new Error(`protocol violation: ${why}: ${JSON.stringify(frame)?.slice(0, 300)}`);
  }

  binary(seq: number): void {
    if (!this.current) this.fail('binary frame outside a request', { seq });
    if (seq !== this.current.chunks) this.fail(`binary seq ${seq} after ${this.current.chunks} chunks`, { seq });
    this.current.chunks++;
  }

  text(raw: string | Record<string, unknown>): Record<string, unknown> & { type: string } {
    let m: unknown = raw;
    if (typeof raw === 'string') {
      try {
        m = JSON.parse(raw);
      } catch {
        this.fail('text frame is not JSON', raw);
      }
    }
    if (typeof m !== 'object' || m === null || Array.isArray(m)) this.fail('not an object', m);
    const o = m as Record<string, unknown> & { type: string };
    const str = (k: string): boolean => typeof o[k] === 'string';
    const num = (k: string): boolean => typeof o[k] === 'number' && Number.isFinite(o[k]) && (o[k] as number) >= 0;
    switch (o.type) {
      case 'pong':
        return o;
      case 'start':
      {
        const pcm = o.format === 'pcm16' && RATES.has(o.sampleRate as number) && o.opus === undefined;
        const opus = o.format === 'opus' && o.sampleRate === 48000 && typeof o.opus === 'object' && o.opus !== null;
        if (!str('id') || !(pcm || opus) || o.channels !== 1) this.fail('bad start', o);
        if (o.resumeFrom !== undefined && !(Number.isInteger(o.resumeFrom) && (o.resumeFrom as number) > 0)) this.fail('bad start resumeFrom', o);
        if (this.current) this.fail(`start while ${this.current.id} runs`, o);
        if (this.ended.has(o.id as string)) this.fail('start after the request ended', o);
        // A resumed request's first chunk is its resumeFrom; done still counts every chunk of the request.
        const resumeFrom = (o.resumeFrom as number | undefined) ?? 0;
        this.current = { id: o.id as string, chunks: resumeFrom, resumeFrom };
        this.starts.push({ format: o.format as string, resumeFrom });
      }
        return o;
      case 'words':
        if (!str('id') || !Array.isArray(o.words) || o.id !== this.current?.id) this.fail('words outside the running request', o);
        for (const w of o.words as Record<string, unknown>[]) {
          if (typeof w.text !== 'string' || typeof w.startMs !== 'number' || typeof w.endMs !== 'number' || w.endMs < w.startMs) this.fail('bad word', o);
        }
        return o;
      case 'done':
      {
        const running = this.current;
        if (!str('id') || !running || o.id !== running.id) this.fail('done for a request that is not running', o);
        if (!num('chunks') || !num('audioMs') || !num('firstAudioMs') || !num('totalMs')) this.fail('bad done', o);
        // A request resumed past its end sends no chunk, and done gives its true count (below resumeFrom).
        if (o.chunks !== running.chunks && !(running.chunks === running.resumeFrom && (o.chunks as number) <= running.resumeFrom)) {
          this.fail(`done says ${String(o.chunks)} chunks, ${running.chunks} were sent`, o);
        }
      }
        this.end(o.id as string);
        this.done.push(o);
        return o;
      case 'cancelled':
        if (!str('id')) this.fail('bad cancelled', o);
        this.endAny(o.id as string, o);
        return o;
      case 'error':
        if (!(o.id === null || str('id')) || typeof o.code !== 'string' || !CODES.has(o.code) || !str('message')) this.fail('bad error', o);
        this.errors.push({ id: o.id as string | null, code: o.code, message: o.message as string });
        if (o.id !== null) this.endAny(o.id as string, o);
        return o;
      default:
        this.fail('unknown server message type', o);
    }
  }

  /**
   * `cancelled`, or an `error` naming an id. An error for an id that never started may answer a rejected message
   * rather than end a request, so only started and cancelled ids count as ended.
   */
  private endAny(id: string, o: { type: string }): void {
    if (this.ended.has(id)) this.fail('message after the request ended', o);
    if (this.current?.id === id || o.type === 'cancelled') this.end(id);
  }

  private end(id: string): void {
    if (this.current?.id === id) this.current = undefined;
    this.ended.add(id);
  }
}
