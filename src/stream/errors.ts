import type { ProtocolError } from '../protocol';

/** An error the session reports with a protocol code (voice lookups, limits). */
export class StreamRequestError extends Error {
  constructor(
    readonly code: ProtocolError['code'],
    message: string,
  ) {
    super(message);
  }
}
