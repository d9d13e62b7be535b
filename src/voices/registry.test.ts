import { describe, expect, it } from 'vitest';
import { VoiceRegistry, type VoicesKv } from './registry';

/** An in-memory KV that counts reads (the registry is the unit under test; KV's own behaviour is tested in workerd). */
function memoryKv(entries: Record<string, string | ArrayBuffer> = {}): VoicesKv & { reads: number } {
  const kv = {
    reads: 0,
    async get(key: string, type: 'text' | 'arrayBuffer') {
      kv.reads++;
      const v = entries[key];
      if (v === undefined) return null;
      return type === 'text' ? (v as string) : (v as ArrayBuffer);
    },
    async list() {
      return { keys: [], list_complete: true };
    },
  };
  return kv as unknown as VoicesKv & { reads: number };
}

const bundled = [{ meta: { id: 'joe', name: 'Joe', language: 'en-US', sampleRate: 22050, license: '', source: '', description: '' }, embedding: Float32Array.of(1, 0) }];

describe('VoiceRegistry cache', () => {
  it('keeps at most maxCached ids, dropping the least recently used', async () => {
    const kv = memoryKv();
    const reg = new VoiceRegistry({ kv, bundled, dim: 2, maxCached: 8 });
    for (let i = 0; i < 1000; i++) await reg.get(`junk-${i}`);
    expect(reg.cachedCount).toBe(8);
    // Recently used ids stay cached (no KV read); old ones were dropped (read again).
    const before = kv.reads;
    await reg.get('junk-999');
    expect(kv.reads).toBe(before);
    await reg.get('junk-0');
    expect(kv.reads).toBe(before + 2);
  });

  it('a blend of more than 4 voices is refused before any KV read', async () => {
    const kv = memoryKv();
    const reg = new VoiceRegistry({ kv, bundled, dim: 2 });
    await expect(reg.resolve('a,b,c,d,e')).rejects.toMatchObject({ kind: 'malformed' });
    expect(kv.reads).toBe(0);
  });

  it('a blend weight that overflows to Infinity is malformed, never a NaN embedding', async () => {
    const reg = new VoiceRegistry({ kv: undefined, bundled, dim: 2 });
    await expect(reg.resolve(`joe:1${'0'.repeat(400)},joe:1`)).rejects.toMatchObject({ kind: 'malformed' });
    const e = await reg.resolve('joe:0.5,joe:1e0'.replace('1e0', '1'));
    expect([...e].every(Number.isFinite)).toBe(true);
  });
});
