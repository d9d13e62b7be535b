/** A libopus call failed, or the wrapper was misused (freed state, bad bitrate). */
export class OpusError extends Error {
  override readonly name = 'OpusError';
  constructor(
    message: string,
    /** The libopus error code (negative), when the error came from libopus. */
    readonly code?: number,
  ) {
    super(message);
  }
}
