/**
 * Streaming FLAC encoder in plain TypeScript: 16-bit mono, fixed block size, each block coded with the best of the
 * fixed predictors (orders 0–4) and partitioned Rice residuals, or verbatim when that is smaller. The total sample
 * count is given up front (the acoustic model knows every duration before the first audio), so STREAMINFO is exact
 * in the first bytes sent and never needs a seek back. MD5 is left zero ("not computed", allowed by the format).
 */
import { BitWriter, crc16, crc8 } from './bits';

/** 1152 samples (52 ms at 22.05 kHz): a frame leaves with the first vocoder window. */
export const FLAC_BLOCK_SIZE = 1152;
const MAX_PARTITION_ORDER = 4;
const MAX_RICE = 14; // 15 is the escape code

export interface FlacEncoderOptions {
  sampleRate: number;
  /** Exact number of samples the stream will carry (written into STREAMINFO). */
  totalSamples: number;
  /** @default FLAC_BLOCK_SIZE */
  blockSize?: number;
}

/** Frame-header sample-rate codes; other rates say "see STREAMINFO" (code 0). */
const RATE_CODES: Record<number, number> = { 8000: 4, 16000: 5, 22050: 6, 24000: 7, 32000: 8, 44100: 9, 48000: 10 };

export class FlacStreamEncoder {
  private readonly blockSize: number;
  private readonly pending: Int16Array;
  private filled = 0;
  private frameNumber = 0;
  private pushed = 0;

  constructor(private readonly opts: FlacEncoderOptions) {
    this.blockSize = opts.blockSize ?? FLAC_BLOCK_SIZE;
    if (!Number.isInteger(this.blockSize) || this.blockSize < 16 || this.blockSize > 65535) throw new RangeError('flac: block size must be 16–65535');
    if (!Number.isInteger(opts.sampleRate) || opts.sampleRate < 1 || opts.sampleRate >= 2 ** 20) throw new RangeError('flac: bad sample rate');
    if (!Number.isInteger(opts.totalSamples) || opts.totalSamples < 0 || opts.totalSamples >= 2 ** 36) throw new RangeError('flac: bad total samples');
    this.pending = new Int16Array(this.blockSize);
  }

  /** "fLaC" and the STREAMINFO block: the start of the file. */
  header(): Uint8Array {
    const w = new BitWriter();
    for (const c of 'fLaC') w.bits(c.charCodeAt(0), 8);
    w.bits(1, 1); // last metadata block
    w.bits(0, 7); // STREAMINFO
    w.bits(34, 24);
    w.bits(this.blockSize, 16); // min block size (only the last block may be shorter, as the format allows)
    w.bits(this.blockSize, 16);
    w.bits(0, 24); // min/max frame size: unknown
    w.bits(0, 24);
    w.bits(this.opts.sampleRate, 20);
    w.bits(0, 3); // channels - 1
    w.bits(15, 5); // bits per sample - 1
    w.bits(Math.floor(this.opts.totalSamples / 2 ** 32), 4);
    w.bits(this.opts.totalSamples >>> 0, 32);
    for (let i = 0; i < 4; i++) w.bits(0, 32); // MD5: not computed
    return w.bytes();
  }

  /** Frames for the blocks these int16 samples completed. Throws past `totalSamples`. */
  push(samples: Int16Array): Uint8Array {
    this.pushed += samples.length;
    if (this.pushed > this.opts.totalSamples) throw new RangeError(`flac: ${this.pushed} samples pushed, STREAMINFO says ${this.opts.totalSamples}`);
    const frames: Uint8Array[] = [];
    let off = 0;
    while (off < samples.length) {
      const n = Math.min(this.blockSize - this.filled, samples.length - off);
      this.pending.set(samples.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === this.blockSize) frames.push(this.frame(this.pending));
    }
    return concat(frames);
  }

  /** The last, shorter block. Throws unless exactly `totalSamples` were pushed. */
  finish(): Uint8Array {
    if (this.pushed !== this.opts.totalSamples) throw new RangeError(`flac: ${this.pushed} samples pushed, STREAMINFO says ${this.opts.totalSamples}`);
    return this.filled > 0 ? this.frame(this.pending.subarray(0, this.filled)) : new Uint8Array(0);
  }

  private frame(block: Int16Array): Uint8Array {
    const n = block.length;
    const w = new BitWriter();
    w.bits(0b11111111111110, 14);
    w.bits(0, 1); // reserved
    w.bits(0, 1); // fixed block size
    const sizeCode = n === this.blockSize && this.blockSize === 1152 ? 3 : n <= 256 ? 6 : 7;
    w.bits(sizeCode, 4);
    w.bits(RATE_CODES[this.opts.sampleRate] ?? 0, 4);
    w.bits(0, 4); // mono
    w.bits(4, 3); // 16 bits per sample
    w.bits(0, 1);
    writeUtf8Number(w, this.frameNumber++);
    if (sizeCode === 6) w.bits(n - 1, 8);
    else if (sizeCode === 7) w.bits(n - 1, 16);
    w.align();
    w.bits(crc8(w.bytes()), 8);
    writeSubframe(w, block);
    w.align();
    const crc = crc16(w.bytes());
    w.bits(crc, 16);
    this.filled = 0;
    return w.bytes();
  }
}

/** Frame numbers as FLAC's UTF-8-like variable-length code (up to 31 bits). */
function writeUtf8Number(w: BitWriter, v: number): void {
  if (v < 0x80) return w.bits(v, 8);
  let extra = 1;
  while (v >= 2 ** (5 * extra + 6)) extra++;
  const first = v >>> (6 * extra);
  w.bits(((0xff00 >> (extra + 1)) & 0xff) | first, 8);
  for (let i = extra - 1; i >= 0; i--) w.bits(0x80 | ((v >>> (6 * i)) & 0x3f), 8);
}

/** Residual of fixed predictor `order` (FLAC's 0–4: differences of that order) for samples `order`.. of `x`. */
function fixedResidual(x: Int16Array, order: number, out: Int32Array): void {
  const n = x.length;
  for (let i = order; i < n; i++) {
    const a = x[i]!;
    let r: number;
    if (order === 0) r = a;
    else if (order === 1) r = a - x[i - 1]!;
    else if (order === 2) r = a - 2 * x[i - 1]! + x[i - 2]!;
    else if (order === 3) r = a - 3 * x[i - 1]! + 3 * x[i - 2]! - x[i - 3]!;
    else r = a - 4 * x[i - 1]! + 6 * x[i - 2]! - 4 * x[i - 3]! + x[i - 4]!;
    out[i - order] = r;
  }
}

/** The fixed order whose residual has the smallest absolute sum (FLAC's usual estimate of its coded size). */
function bestOrder(x: Int16Array): number {
  const n = x.length;
  const sums = [0, 0, 0, 0, 0];
  for (let i = 4; i < n; i++) {
    const a = x[i]!;
    const e1 = a - x[i - 1]!;
    const e2 = e1 - (x[i - 1]! - x[i - 2]!);
    const e3 = e2 - (x[i - 1]! - 2 * x[i - 2]! + x[i - 3]!);
    const e4 = e3 - (x[i - 1]! - 3 * x[i - 2]! + 3 * x[i - 3]! - x[i - 4]!);
    sums[0]! += Math.abs(a);
    sums[1]! += Math.abs(e1);
    sums[2]! += Math.abs(e2);
    sums[3]! += Math.abs(e3);
    sums[4]! += Math.abs(e4);
  }
  let order = 0;
  for (let o = 1; o < 5; o++) if (sums[o]! < sums[order]!) order = o;
  return Math.min(order, Math.max(0, n - 1));
}

/** Rice parameter for `count` residuals whose zigzag values sum to `sum`, and its estimated cost in bits. */
function riceFor(sum: number, count: number): { k: number; bits: number } {
  let best = { k: 0, bits: Infinity };
  const guess = count > 0 && sum > count ? Math.min(MAX_RICE, Math.floor(Math.log2(sum / count))) : 0;
  for (let k = Math.max(0, guess - 1); k <= Math.min(MAX_RICE, guess + 1); k++) {
    // Each value costs k + 1 bits plus its quotient; the quotients sum to about (sum - count * (2^k - 1) / 2) / 2^k.
    const bits = count * (k + 1) + Math.max(0, (sum - (count * (2 ** k - 1)) / 2) / 2 ** k);
    if (bits < best.bits) best = { k, bits };
  }
  return best;
}

interface ResidualPlan {
  partitionOrder: number;
  params: number[];
  bits: number;
}

/** Partition order and Rice parameters for residuals `u` of a block of `n` samples and predictor `order`. */
function planResidual(u: Uint32Array, n: number, order: number): ResidualPlan {
  let maxP = 0;
  while (maxP < MAX_PARTITION_ORDER && n % (2 << maxP) === 0 && n / (2 << maxP) > order) maxP++;
  // Sums per finest partition; coarser partitions add them up.
  const finest = 1 << maxP;
  const size = n / finest;
  let sums = new Float64Array(finest);
  for (let j = 0; j < finest; j++) {
    const from = j === 0 ? 0 : j * size - order;
    const to = (j + 1) * size - order;
    let s = 0;
    for (let i = from; i < to; i++) s += u[i]!;
    sums[j] = s;
  }
  let best: ResidualPlan | undefined;
  for (let p = maxP; p >= 0; p--) {
    const parts = 1 << p;
    const partSize = n / parts;
    const params: number[] = [];
    let bits = 6;
    for (let j = 0; j < parts; j++) {
      const r = riceFor(sums[j]!, partSize - (j === 0 ? order : 0));
      params.push(r.k);
      bits += 4 + r.bits;
    }
    if (!best || bits < best.bits) best = { partitionOrder: p, params, bits };
    if (p > 0) sums = Float64Array.from({ length: parts / 2 }, (_, j) => sums[2 * j]! + sums[2 * j + 1]!);
  }
  return best!;
}

const scratch = { r: new Int32Array(0), u: new Uint32Array(0) };

function writeSubframe(w: BitWriter, x: Int16Array): void {
  const n = x.length;
  const order = bestOrder(x);
  if (scratch.r.length < n) scratch.r = new Int32Array(n);
  if (scratch.u.length < n) scratch.u = new Uint32Array(n);
  const r = scratch.r;
  const u = scratch.u;
  fixedResidual(x, order, r);
  for (let i = 0; i < n - order; i++) u[i] = r[i]! >= 0 ? 2 * r[i]! : -2 * r[i]! - 1;
  const plan = planResidual(u, n, order);
  if (plan.bits + 16 * order >= 16 * n) {
    w.bits(0b00000010, 8); // verbatim, no wasted bits
    for (let i = 0; i < n; i++) w.bits(x[i]! & 0xffff, 16);
    return;
  }
  w.bits(0b00010000 | (order << 1), 8); // fixed predictor of `order`, no wasted bits
  for (let i = 0; i < order; i++) w.bits(x[i]! & 0xffff, 16);
  w.bits(0, 2); // Rice, 4-bit parameters
  w.bits(plan.partitionOrder, 4);
  const parts = 1 << plan.partitionOrder;
  const size = n / parts;
  for (let j = 0; j < parts; j++) {
    const k = plan.params[j]!;
    w.bits(k, 4);
    const from = j === 0 ? 0 : j * size - order;
    const to = (j + 1) * size - order;
    for (let i = from; i < to; i++) w.rice(u[i]!, k);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((off, p) => (out.set(p, off), off + p.length), 0);
  return out;
}
