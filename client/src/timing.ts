/** Maps times on the AudioContext timeline to performance.now() time. Pure, so it is unit-tested in Node. */

/** What AudioContext.getOutputTimestamp() returns: the context time now at the speaker, and when that was. */
export interface OutputClock {
  contextTime?: number;
  performanceTime?: number;
}

/** What is known when no output timestamp is (contextTime 0 while the device starts, or an old browser). */
export interface RenderClock {
  /** performance.now() now, ms. */
  nowMs: number;
  /** AudioContext.currentTime now, s: the render clock, ahead of the speaker by the output latency. */
  currentTime: number;
  /** outputLatency, else baseLatency, s. */
  latencyS: number;
}

/** performance.now() time (ms) at which context time `at` (s) reaches the speaker. */
export function contextTimeToPerformanceMs(at: number, output: OutputClock | null, render: RenderClock): number {
  if (output && output.contextTime && output.performanceTime) return output.performanceTime + (at - output.contextTime) * 1000;
  return render.nowMs + (at - render.currentTime + render.latencyS) * 1000;
}
