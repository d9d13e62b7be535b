/**
 * Voice registry: voices in KV (`voices/<id>.json` + `voices/<id>.bin`), cached in isolate memory, falling back to
 * the voices bundled with the models.
 */
import { blendEmbeddings, decodeEmbedding, parseBlend, parseVoiceMeta } from './parse';
import { echo } from '../protocol/echo';
import type { VoiceAliases } from './aliases';
import { VoiceError, type Voice, type VoiceMeta } from './types';

/** The subset of KVNamespace the registry uses. */
export interface VoicesKv {
  get(key: string, type: 'text'): Promise<string | null>;
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  list(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

let kvDownLoggedAt = 0;

/** Logs a KV outage at most once a minute per isolate. */
function kvDown(op: string, err: unknown): void {
  if (Date.now() - kvDownLoggedAt < 60_000) return;
  kvDownLoggedAt = Date.now();
  console.error(`voices: KV ${op} failed, falling back to bundled voices: ${err instanceof Error ? err.message : String(err)}`);
}

export interface VoiceRegistryOptions {
  kv: VoicesKv | undefined;
  bundled: Voice[];
  dim: number;
  /** How long a KV voice stays cached in the isolate. @default 60000 */
  ttlMs?: number;
  /** Most ids cached (least recently used dropped first), so junk ids cannot grow the isolate's memory. @default 512 */
  maxCached?: number;
}

export class VoiceRegistry {
  private readonly cache = new Map<string, { voice: Voice | null; at: number }>();
  private readonly bundled: Map<string, Voice>;

  constructor(private readonly opts: VoiceRegistryOptions) {
    this.bundled = new Map(opts.bundled.map((v) => [v.meta.id, v]));
  }

  /** All voices: KV entries override bundled ones with the same id. */
  async list(): Promise<VoiceMeta[]> {
    const byId = new Map<string, VoiceMeta>();
    for (const v of this.bundled.values()) byId.set(v.meta.id, v.meta);
    const kv = this.opts.kv;
    if (kv) {
      let cursor: string | undefined;
      do {
        let page: Awaited<ReturnType<VoicesKv['list']>>;
        try {
          page = await kv.list({ prefix: 'voices/', cursor });
        } catch (err) {
          // KV unavailable: list what the bundle (and the isolate cache) has rather than fail.
          kvDown('list', err);
          break;
        }
        for (const { name } of page.keys) {
          const m = /^voices\/(.+)\.json$/.exec(name);
          if (!m) continue;
          const voice = await this.get(m[1]!).catch(() => undefined);
          if (voice) byId.set(voice.meta.id, voice.meta);
        }
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
    }
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** One voice by id; undefined when neither KV nor the bundle has it. Throws VoiceError('corrupt') on bad data. */
  async get(id: string): Promise<Voice | undefined> {
    const ttl = this.opts.ttlMs ?? 60_000;
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < ttl) {
      this.cache.delete(id); // re-inserted: most recently used last
      this.cache.set(id, hit);
      return hit.voice ?? this.bundled.get(id);
    }
    let voice: Voice | null = null;
    const kv = this.opts.kv;
    if (kv) {
      let metaText: string | null;
      let bytes: ArrayBuffer | null;
      try {
        [metaText, bytes] = await Promise.all([kv.get(`voices/${id}.json`, 'text'), kv.get(`voices/${id}.bin`, 'arrayBuffer')]);
      } catch (err) {
        // KV unavailable: serve a stale cached copy or the bundled voice; cache nothing so the next call retries KV.
        kvDown('get', err);
        return hit?.voice ?? this.bundled.get(id);
      }
      if (metaText !== null && bytes !== null) {
        let raw: unknown;
        try {
          raw = JSON.parse(metaText);
        } catch {
          throw new VoiceError('corrupt', `voice "${id}" sidecar in KV is not JSON`);
        }
        voice = { meta: parseVoiceMeta(raw, id), embedding: decodeEmbedding(bytes, this.opts.dim, id) };
      }
    }
    this.cache.delete(id);
    this.cache.set(id, { voice, at: Date.now() });
    const max = this.opts.maxCached ?? 512;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
    return voice ?? this.bundled.get(id);
  }

  /** Ids cached in the isolate now (at most `maxCached`). */
  get cachedCount(): number {
    return this.cache.size;
  }

  /** Drops the isolate's cached copy of a voice (after a write; other isolates see it within `ttlMs`). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  /** Whether the voice ships with the models (it cannot be deleted, only overridden in KV). */
  isBundled(id: string): boolean {
    return this.bundled.has(id);
  }

  /**
   * Embedding for a voice id or blend spec; a name in `aliases` stands for its voice unless a voice has that id.
   * Throws VoiceError; an unknown name's message lists the voices and aliases there are.
   */
  async resolve(spec: string, aliases: VoiceAliases = new Map()): Promise<Float32Array> {
    const parts = parseBlend(spec);
    const loaded = await Promise.all(
      parts.map(async ({ id, weight }) => {
        const alias = aliases.get(id);
        const voice = (await this.get(id)) ?? (alias === undefined ? undefined : await this.get(alias));
        if (!voice) throw new VoiceError('unknown', await this.unknownMessage(id, aliases));
        return { embedding: voice.embedding, weight };
      }),
    );
    return loaded.length === 1 ? loaded[0]!.embedding : blendEmbeddings(loaded);
  }

  private async unknownMessage(id: string, aliases: VoiceAliases): Promise<string> {
    const ids = (await this.list().catch(() => [])).map((v) => v.id);
    const names = [...aliases.keys()];
    return `unknown voice "${echo(id)}"; voices: ${ids.join(', ') || 'none'}${names.length > 0 ? `; aliases: ${names.join(', ')}` : ''}`;
  }
}
