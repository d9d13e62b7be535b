import { describe, expect, it } from 'vitest';
import { contextTimeToPerformanceMs } from './timing';

describe('contextTimeToPerformanceMs', () => {
  const render = { nowMs: 5000, currentTime: 2, latencyS: 0.02 };
  it('uses the output timestamp when the device reports one', () => {
    // The speaker plays context time 1.5 s at performance time 4000 ms: frame at 1.75 s plays 250 ms later.
    expect(contextTimeToPerformanceMs(1.75, { contextTime: 1.5, performanceTime: 4000 }, render)).toBeCloseTo(4250, 6);
  });
  it('falls back to the render clock plus the output latency', () => {
    expect(contextTimeToPerformanceMs(1.9, { contextTime: 0, performanceTime: 0 }, render)).toBeCloseTo(5000 - 100 + 20, 6);
    expect(contextTimeToPerformanceMs(2, null, render)).toBeCloseTo(5020, 6);
  });
});
