import { describe, expect, it } from 'vitest';
import { keepMask } from './keep-mask';

// The expected masks are worked out by hand from the graph's contract (distill/models.py StreamingVocoder):
// layer i's output j is position offset - (i + 1) * lookahead / layers + j, kept when inside [0, total).
describe('keepMask', () => {
  it('masks the positions before the run on the first call', () => {
    // 3 layers lagging 3 frames each; fed positions 0..4 of a 4-frame run.
    expect(Array.from(keepMask(3, 9, 0, 5, 4))).toEqual([0, 0, 0, 1, 1, /**/ 0, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0]);
  });

  it('masks the positions past the run while the look-ahead is flushed', () => {
    // Fed positions 10..13 of a 9-frame run: layer 0 outputs 7..10, layer 1 4..7, layer 2 1..4.
    expect(Array.from(keepMask(3, 9, 10, 4, 9))).toEqual([1, 1, 0, 0, /**/ 1, 1, 1, 1, /**/ 1, 1, 1, 1]);
  });
});
