import { describe, expect, it } from 'vitest';
import { packOpusPackets, unpackOpusPackets } from './frames';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('packOpusPackets / unpackOpusPackets', () => {
  it.each([
    { name: 'no packets', packets: [] as Uint8Array[] },
    { name: 'one byte', packets: [bytes(0xfc)] },
    { name: 'several sizes', packets: [bytes(1, 2, 3), new Uint8Array(300).map((_, i) => i), bytes(9)] },
    { name: 'libopus maximum', packets: [new Uint8Array(1275).fill(7), new Uint8Array(80).fill(1)] },
    { name: 'framing maximum', packets: [new Uint8Array(0xffff).fill(3)] },
  ])('round-trips $name', ({ packets }) => {
    const payload = packOpusPackets(packets);
    expect(payload.length).toBe(packets.reduce((s, p) => s + 2 + p.length, 0));
    expect(unpackOpusPackets(payload).map((p) => [...p])).toEqual(packets.map((p) => [...p]));
  });

  it('writes u16 little-endian lengths before each packet', () => {
    const payload = packOpusPackets([new Uint8Array(258).fill(5), bytes(0xaa)]);
    expect([...payload.subarray(0, 3)]).toEqual([0x02, 0x01, 5]);
    expect([...payload.subarray(260)]).toEqual([1, 0, 0xaa]);
  });

  it('rejects packets the framing cannot carry', () => {
    expect(() => packOpusPackets([new Uint8Array(0x10000)])).toThrow(/exceeds/);
    expect(() => packOpusPackets([bytes()])).toThrow(/empty/);
  });

  it.each([
    { name: 'a lone length byte', payload: bytes(3), error: /length prefix at byte 0/ },
    { name: 'a packet cut short', payload: bytes(4, 0, 1, 2, 3), error: /claims 4 bytes, 3 left/ },
    { name: 'a second packet cut short', payload: bytes(1, 0, 9, 2, 0, 1), error: /packet at byte 3 claims 2 bytes/ },
    { name: 'a zero length', payload: bytes(1, 0, 9, 0, 0), error: /zero-length packet at byte 3/ },
    { name: 'a trailing odd byte', payload: bytes(1, 0, 9, 7), error: /length prefix at byte 3/ },
  ])('throws on $name', ({ payload, error }) => {
    expect(() => unpackOpusPackets(payload)).toThrow(error);
  });
});
