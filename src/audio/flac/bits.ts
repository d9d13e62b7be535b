/** MSB-first bit writer and the two CRCs FLAC frames carry. */

export class BitWriter {
  private buf = new Uint8Array(4096);
  private len = 0; // whole bytes written
  private acc = 0; // pending bits, right-aligned
  private accBits = 0;

  /** Writes the low `n` bits of `value` (n ≤ 32; `value` taken as unsigned). */
  bits(value: number, n: number): void {
    while (n > 24) {
      n -= 16;
      this.put((value / 2 ** n) & 0xffff, 16);
    }
    this.put(n === 0 ? 0 : value & ((1 << n) - 1), n);
  }

  /** `q` zero bits then a one (Rice quotient). */
  unary(q: number): void {
    while (q >= 16) {
      this.put(0, 16);
      q -= 16;
    }
    this.put(1, q + 1);
  }

  /** A Rice code: the quotient `v >> k` in unary, then the low `k` bits (`v` < 2^31). */
  rice(v: number, k: number): void {
    const q = v >>> k;
    // One write for the common short code: q zeros, a one, k low bits.
    if (q + 1 + k <= 24) return this.put((1 << k) | (v & ((1 << k) - 1)), q + 1 + k);
    this.unary(q);
    if (k > 0) this.put(v & ((1 << k) - 1), k);
  }

  /** Pads with zero bits to the next byte boundary. */
  align(): void {
    if (this.accBits > 0) this.put(0, 8 - this.accBits);
  }

  /** The bytes so far (call after `align`). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** Bytes written so far, whole bytes only. */
  get length(): number {
    return this.len;
  }

  private put(value: number, n: number): void {
    // acc holds < 8 bits between calls, so acc << n stays within 24 + 8 bits for n ≤ 24.
    this.acc = (this.acc << n) | value;
    this.accBits += n;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      if (this.len === this.buf.length) {
        const grown = new Uint8Array(this.buf.length * 2);
        grown.set(this.buf);
        this.buf = grown;
      }
      this.buf[this.len++] = (this.acc >>> this.accBits) & 0xff;
    }
    this.acc &= (1 << this.accBits) - 1;
  }
}

function table(poly: number, width: 8 | 16): Uint16Array {
  const t = new Uint16Array(256);
  const top = 1 << (width - 1);
  const mask = (1 << width) - 1;
  for (let i = 0; i < 256; i++) {
    let c = i << (width - 8);
    for (let b = 0; b < 8; b++) c = c & top ? ((c << 1) ^ poly) & mask : (c << 1) & mask;
    t[i] = c;
  }
  return t;
}

const CRC8 = table(0x07, 8);
const CRC16 = table(0x8005, 16);

/** CRC-8, polynomial x^8 + x^2 + x + 1, initial 0 (the frame header's). */
export function crc8(bytes: Uint8Array): number {
  let c = 0;
  for (const b of bytes) c = CRC8[c ^ b]!;
  return c;
}

/** CRC-16, polynomial x^16 + x^15 + x^2 + 1, initial 0 (the whole frame's). */
export function crc16(bytes: Uint8Array): number {
  let c = 0;
  for (const b of bytes) c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b]!;
  return c;
}
