import { describe, expect, it } from 'vitest';
import { OggOpusWriter, oggCrc32, OpusError, OpusStreamDecoder, OpusStreamEncoder } from '.';
import { nodeOpusRuntime } from './testing';

/** Bit-at-a-time CRC (no table), written independently of the writer's: poly 0x04c11db7, MSB first, init 0. */
function referenceCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let b = 0; b < 8; b++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

interface Page {
  flags: number;
  granule: number;
  serial: number;
  seq: number;
  segments: number;
  /** Packets completed on this page (a packet continued onto the next page is appended there). */
  packets: Uint8Array[];
}

/** A minimal Ogg reader (RFC 3533): checks capture pattern, version and CRC of every page, and reassembles packets. */
function readOgg(bytes: Uint8Array): Page[] {
  const pages: Page[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let partial: number[] = [];
  for (let off = 0; off < bytes.length; ) {
    expect(String.fromCharCode(...bytes.subarray(off, off + 4))).toBe('OggS');
    expect(bytes[off + 4]).toBe(0);
    const segments = bytes[off + 26]!;
    const lacing = bytes.subarray(off + 27, off + 27 + segments);
    const bodyLen = lacing.reduce((s, l) => s + l, 0);
    const end = off + 27 + segments + bodyLen;
    expect(end).toBeLessThanOrEqual(bytes.length);
    const page = bytes.slice(off, end);
    const stored = new DataView(page.buffer).getUint32(22, true);
    page.fill(0, 22, 26);
    expect(referenceCrc(page)).toBe(stored);
    const packets: Uint8Array[] = [];
    let body = off + 27 + segments;
    for (const l of lacing) {
      partial.push(...bytes.subarray(body, body + l));
      body += l;
      if (l < 255) {
        packets.push(Uint8Array.from(partial));
        partial = [];
      }
    }
    pages.push({
      flags: bytes[off + 5]!,
      granule: v.getUint32(off + 6, true) + v.getUint32(off + 10, true) * 2 ** 32,
      serial: v.getUint32(off + 14, true),
      seq: v.getUint32(off + 18, true),
      segments,
      packets,
    });
    off = end;
  }
  expect(partial).toEqual([]);
  return pages;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((off, p) => (out.set(p, off), off + p.length), 0);
  return out;
};

describe('oggCrc32', () => {
  it('matches the CRC-32 check value for Ogg (poly 04c11db7, init 0, no reflection, no xor)', () => {
    // "123456789": POSIX cksum's CRC without its final inversion (0x765e7680 ^ 0xffffffff).
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
    expect(oggCrc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bitwise implementation on arbitrary bytes', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 0xff);
    expect(oggCrc32(bytes)).toBe(referenceCrc(bytes));
  });
});

describe('OggOpusWriter', () => {
  it('writes OpusHead and OpusTags pages, then audio pages with granules, BOS and EOS; the packets decode to the input', async () => {
    const rt = await nodeOpusRuntime();
    const enc = new OpusStreamEncoder(rt, { bitrate: 24000 });
    const writer = new OggOpusWriter({ serial: 0xdeadbeef, preSkip: enc.preSkip, inputRate: 24000, vendor: 'test vendor' });
    const x = new Float32Array(24000 + 1234).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 24000));
    const out = [writer.headers()];
    const encoded: Uint8Array[] = [];
    for (let i = 0; i < x.length; i += 5000) {
      const packets = enc.push(x.subarray(i, i + 5000));
      encoded.push(...packets);
      out.push(writer.pages(packets));
    }
    const last = enc.flush();
    encoded.push(...last);
    out.push(writer.pages(last, { final: true, samples: enc.samplesIn }));
    const pages = readOgg(concat(out));

    const head = pages[0]!.packets[0]!;
    const hv = new DataView(head.buffer);
    expect(String.fromCharCode(...head.subarray(0, 8))).toBe('OpusHead');
    expect([head.length, head[8], head[9], hv.getUint16(10, true), hv.getUint32(12, true), hv.getInt16(16, true), head[18]]).toEqual([
      19, 1, 1, 312, 24000, 0, 0,
    ]);
    const tags = pages[1]!.packets[0]!;
    expect(new TextDecoder().decode(tags.subarray(0, 8 + 4 + 11))).toBe('OpusTags\u000b\u0000\u0000\u0000test vendor');
    expect(new DataView(tags.buffer).getUint32(23, true)).toBe(0);
    expect(pages.slice(0, 2).map((p) => [p.packets.length, p.granule])).toEqual([
      [1, 0],
      [1, 0],
    ]);

    expect(pages.map((p) => p.seq)).toEqual(pages.map((_, i) => i));
    expect(new Set(pages.map((p) => p.serial))).toEqual(new Set([0xdeadbeef]));
    expect(pages.map((p) => p.flags)).toEqual([0x02, ...pages.slice(1, -1).map(() => 0), 0x04]);
    const audio = pages.slice(2);
    expect(audio.length).toBeGreaterThan(2); // it streamed, one page per call
    expect(audio.flatMap((p) => p.packets.map((q) => [...q]))).toEqual(encoded.map((q) => [...q]));
    // RFC 7845: a granule counts the decoded 48 kHz samples, pre-skip included: 960 per packet so far, except on the
    // last page, trimmed to pre-skip + the real length.
    let done = 0;
    for (const p of audio.slice(0, -1)) {
      done += p.packets.length;
      expect(p.granule).toBe(done * 960);
    }
    expect(audio.at(-1)!.granule).toBe(312 + x.length * 2);
    expect(audio.at(-1)!.granule).toBeLessThan(312 + encoded.length * 960);

    const dec = new OpusStreamDecoder(rt);
    const y = audio.flatMap((p) => p.packets.flatMap((q) => [...dec.decode(q)]));
    const trimmed = y.slice(312, audio.at(-1)!.granule);
    expect(trimmed.length).toBe(x.length * 2);
    // Best lag within 0.5 ms: pre-skip is libopus's nominal look-ahead; SILK's resampler is a few samples off it.
    let best = -1;
    for (let lag = -24; lag <= 24; lag++) {
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let i = 2400; i < x.length - 2400; i++) {
        xy += x[i]! * trimmed[2 * i + lag]!;
        xx += x[i]! ** 2;
        yy += trimmed[2 * i + lag]! ** 2;
      }
      best = Math.max(best, xy / Math.sqrt(xx * yy));
    }
    expect(best).toBeGreaterThan(0.95);
    enc.free();
    dec.free();
  });

  it('splits pages at 255 lacing values and laces packets of 255-multiple sizes with a terminating 0', () => {
    const writer = new OggOpusWriter({ serial: 1, preSkip: 312, inputRate: 24000 });
    const packets = Array.from({ length: 200 }, (_, i) => new Uint8Array(i === 0 ? 510 : 300).fill(i & 0xff));
    const bytes = concat([writer.headers(), writer.pages(packets, { final: true })]);
    const pages = readOgg(bytes);
    const audio = pages.slice(2);
    expect(audio.length).toBe(2);
    for (const p of audio) expect(p.segments).toBeLessThanOrEqual(255);
    expect(audio[0]!.packets[0]!.length).toBe(510); // lacing 255, 255, 0
    expect(audio.flatMap((p) => p.packets).map((p) => p.length)).toEqual(packets.map((p) => p.length));
    expect(audio.map((p) => p.granule)).toEqual([audio[0]!.packets.length * 960, 200 * 960]);
  });

  it('holds the newest packet back so the end-of-stream page carries audio', () => {
    const writer = new OggOpusWriter({ serial: 1, preSkip: 312, inputRate: 24000 });
    writer.headers();
    expect(writer.pages([Uint8Array.of(1)])).toHaveLength(0);
    const pages = readOgg(concat([writer.pages([Uint8Array.of(2), Uint8Array.of(3)]), writer.pages([], { final: true, samples: 1000 })]));
    expect(pages.map((p) => [p.packets.map((q) => q[0]), p.granule, p.flags])).toEqual([
      [[1, 2], 2 * 960, 0],
      [[3], 312 + 2000, 0x04],
    ]);
  });

  it('rejects a final sample count outside the last page, an empty stream, and writing after the end', () => {
    const writer = new OggOpusWriter({ serial: 1, preSkip: 312, inputRate: 24000 });
    writer.pages([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    expect(() => writer.pages([], { final: true, samples: 3 * 480 + 1 })).toThrow(OpusError);
    const empty = new OggOpusWriter({ serial: 1, preSkip: 312, inputRate: 24000 });
    expect(() => empty.pages([], { final: true, samples: 0 })).toThrow(/at least one audio packet/);
    const done = new OggOpusWriter({ serial: 1, preSkip: 312, inputRate: 24000 });
    done.pages([Uint8Array.of(1)], { final: true });
    expect(() => done.pages([Uint8Array.of(1)])).toThrow(/already ended/);
  });
});
