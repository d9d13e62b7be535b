import { describe, expect, it } from 'vitest';
import { blendSpec } from './blend';

describe('blendSpec', () => {
  it('writes two voices as the protocol blend "a:w,b:1-w"', () => {
    expect(blendSpec('joe', 'ann', 70)).toBe('joe:0.7,ann:0.3');
    expect(blendSpec('joe', 'ann', 5)).toBe('joe:0.05,ann:0.95');
    expect(blendSpec('joe', 'ann', 55)).toBe('joe:0.55,ann:0.45');
  });

  it('the weights always sum to 1', () => {
    for (let p = 1; p <= 99; p++) {
      const [wa, wb] = blendSpec('a', 'b', p).split(',').map((part) => Number(part.split(':')[1]));
      expect(wa! + wb!).toBeCloseTo(1, 12);
      expect(wa).toBeGreaterThan(0);
      expect(wb).toBeGreaterThan(0);
    }
  });

  it('sends the plain id when there is nothing to blend with', () => {
    expect(blendSpec('joe', null, 70)).toBe('joe');
    expect(blendSpec('joe', '', 70)).toBe('joe');
    expect(blendSpec('joe', 'joe', 30)).toBe('joe');
  });

  it('refuses weights the server would refuse (zero) or that are not whole percents', () => {
    for (const p of [0, 100, 50.5, Number.NaN]) expect(() => blendSpec('a', 'b', p)).toThrow(RangeError);
  });
});
