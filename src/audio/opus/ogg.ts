/**
 * Ogg Opus (RFC 7845 over RFC 3533) for one mono stream, written incrementally so an HTTP body can stream:
 * `headers()` once, then `pages()` with the packets made so far, the last call with `final`.
 */
import { OPUS_DECODE_RATE, OPUS_FRAME_SAMPLES_48K } from './constants';
import { OpusError } from './errors';
import { oggCrc32 } from './ogg-crc';

const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
/** An Ogg page holds at most 255 lacing values. */
const MAX_SEGMENTS = 255;

export interface OggOpusOptions {
  /** Bitstream serial number (any u32; random per stream is conventional). */
  serial: number;
  /** Samples at 48 kHz a decoder drops from the start (the encoder's look-ahead). */
  preSkip: number;
  /** Rate of the audio before encoding; informational in OpusHead. */
  inputRate: number;
  /** OpusTags vendor string. @default "edge-tts libopus" */
  vendor?: string;
}

export interface OggPagesOptions {
  /** Last call: sets end-of-stream and trims the end granule to `samples`. @default false */
  final?: boolean;
  /** With `final`: real samples at the input rate, without the last packet's padding. */
  samples?: number;
}

export class OggOpusWriter {
  private seq = 0;
  private packetsDone = 0; // packets already on pages
  private granuleDone = 0; // granule of the last page written
  private held: Uint8Array | undefined;
  private ended = false;

  constructor(private readonly opts: OggOpusOptions) {
    if (!Number.isInteger(opts.preSkip) || opts.preSkip < 0 || opts.preSkip > 0xffff) throw new OpusError(`preSkip must be a u16, got ${opts.preSkip}`);
  }

  /** The OpusHead page (beginning of stream) and the OpusTags page; each header has a page of its own. */
  headers(): Uint8Array {
    const head = new Uint8Array(19);
    const v = new DataView(head.buffer);
    ascii(head, 0, 'OpusHead');
    head[8] = 1; // version
    head[9] = 1; // channels
    v.setUint16(10, this.opts.preSkip, true);
    v.setUint32(12, this.opts.inputRate, true);
    v.setInt16(16, 0, true); // output gain
    head[18] = 0; // channel mapping family 0: mono/stereo, no table
    const vendor = new TextEncoder().encode(this.opts.vendor ?? 'edge-tts libopus');
    const tags = new Uint8Array(8 + 4 + vendor.length + 4);
    const tv = new DataView(tags.buffer);
    ascii(tags, 0, 'OpusTags');
    tv.setUint32(8, vendor.length, true);
    tags.set(vendor, 12);
    tv.setUint32(12 + vendor.length, 0, true); // no user comments
    return concat([this.page([head], 0, FLAG_BOS), this.page([tags], 0, 0)]);
  }

  /**
   * Pages holding `packets` (one 20 ms frame each). The newest packet is held back until the next call, so the
   * end-of-stream page always carries a packet and its trimmed granule stays valid; `final` writes it.
   */
  pages(packets: readonly Uint8Array[], opts: OggPagesOptions = {}): Uint8Array {
    if (this.ended) throw new OpusError('Ogg Opus stream already ended');
    const all = this.held ? [this.held, ...packets] : [...packets];
    this.held = opts.final ? undefined : all.pop();
    const out: Uint8Array[] = [];
    let start = 0;
    while (start < all.length) {
      let end = start;
      let segments = 0;
      while (end < all.length && segments + lacingCount(all[end]!) <= MAX_SEGMENTS) segments += lacingCount(all[end++]!);
      const last = opts.final === true && end === all.length;
      this.packetsDone += end - start;
      // RFC 7845: the granule counts every decoded 48 kHz sample, pre-skip included.
      let granule = this.packetsDone * OPUS_FRAME_SAMPLES_48K;
      if (last) granule = this.endGranule(opts.samples, granule);
      out.push(this.page(all.slice(start, end), granule, last ? FLAG_EOS : 0));
      this.granuleDone = granule;
      start = end;
    }
    if (opts.final) {
      if (this.packetsDone === 0) throw new OpusError('an Ogg Opus stream needs at least one audio packet');
      this.ended = true;
    }
    return concat(out);
  }

  /** The end granule: pre-skip plus the real samples at 48 kHz, between the previous page's and the padded end. */
  private endGranule(samples: number | undefined, padded: number): number {
    if (samples === undefined) return padded;
    const trimmed = this.opts.preSkip + Math.ceil((samples * OPUS_DECODE_RATE) / this.opts.inputRate);
    if (!Number.isInteger(samples) || samples < 0 || trimmed > padded || trimmed < this.granuleDone) {
      throw new OpusError(`final samples ${samples} do not fit the ${this.packetsDone} packets written`);
    }
    return trimmed;
  }

  private page(packets: readonly Uint8Array[], granule: number, flags: number): Uint8Array {
    const lacing: number[] = [];
    for (const p of packets) {
      for (let n = p.length; n >= 255; n -= 255) lacing.push(255);
      lacing.push(p.length % 255);
    }
    const bodyBytes = packets.reduce((s, p) => s + p.length, 0);
    const page = new Uint8Array(27 + lacing.length + bodyBytes);
    const v = new DataView(page.buffer);
    ascii(page, 0, 'OggS');
    page[4] = 0; // stream structure version
    page[5] = flags;
    v.setUint32(6, granule % 2 ** 32, true);
    v.setUint32(10, Math.floor(granule / 2 ** 32), true);
    v.setUint32(14, this.opts.serial >>> 0, true);
    v.setUint32(18, this.seq++, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    let off = 27 + lacing.length;
    for (const p of packets) {
      page.set(p, off);
      off += p.length;
    }
    v.setUint32(22, oggCrc32(page), true); // computed with the CRC field still zero
    return page;
  }
}

function lacingCount(packet: Uint8Array): number {
  return Math.floor(packet.length / 255) + 1;
}

function ascii(into: Uint8Array, off: number, s: string): void {
  for (let i = 0; i < s.length; i++) into[off + i] = s.charCodeAt(i);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
