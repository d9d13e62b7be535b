/**
 * Framing of Opus packets inside one WebSocket binary chunk (the payload after the 4-byte sequence number):
 * `[u16 LE length][packet]...`. Self-contained, with no imports: the browser client module imports this file as is.
 */

/** Largest packet the framing can carry (u16 length). libopus packets are at most 1275 bytes. */
export const MAX_FRAMED_PACKET_BYTES = 0xffff;

/** Concatenates `packets`, each preceded by its length as u16 LE. */
export function packOpusPackets(packets: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of packets) {
    if (p.length === 0) throw new RangeError('opus packet is empty: every packet has at least its TOC byte');
    if (p.length > MAX_FRAMED_PACKET_BYTES) throw new RangeError(`opus packet of ${p.length} bytes exceeds the ${MAX_FRAMED_PACKET_BYTES}-byte framing limit`);
    total += 2 + p.length;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of packets) {
    out[off] = p.length & 0xff;
    out[off + 1] = p.length >>> 8;
    out.set(p, off + 2);
    off += 2 + p.length;
  }
  return out;
}

/** Splits a chunk payload back into packets (views into `payload`); throws on a truncated or malformed payload. */
export function unpackOpusPackets(payload: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  while (off < payload.length) {
    if (off + 2 > payload.length) throw new Error(`opus chunk truncated: a length prefix at byte ${off} needs 2 bytes, ${payload.length - off} left`);
    const n = payload[off]! | (payload[off + 1]! << 8);
    // A zero length never comes from an encoder (every Opus packet has a TOC byte), so it means corrupt framing.
    if (n === 0) throw new Error(`opus chunk malformed: zero-length packet at byte ${off}`);
    if (off + 2 + n > payload.length) throw new Error(`opus chunk truncated: packet at byte ${off} claims ${n} bytes, ${payload.length - off - 2} left`);
    out.push(payload.subarray(off + 2, off + 2 + n));
    off += 2 + n;
  }
  return out;
}
