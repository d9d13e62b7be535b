import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, hasScope, signToken, timingSafeEqual, verifyToken } from './token';
import { originAllowed, parseOriginList } from './origin';
import { redactSecrets, redactUrl } from './redact';

const SECRET = 'test-secret';
const NOW = 1_800_000_000_000;
const exp = NOW / 1000 + 60;

describe('signToken / verifyToken', () => {
  it('round-trips subject, expiry and scopes', async () => {
    const token = await signToken(SECRET, { sub: 'app1', exp, scopes: ['voices:write'] });
    const r = await verifyToken(SECRET, token, NOW);
    expect(r).toEqual({ ok: true, claims: { sub: 'app1', exp, scopes: ['voices:write'] } });
    if (r.ok) expect(hasScope(r.claims, 'voices:write')).toBe(true);
  });

  it('defaults to no scopes', async () => {
    const r = await verifyToken(SECRET, await signToken(SECRET, { sub: 'app1', exp }), NOW);
    expect(r.ok && r.claims.scopes).toEqual([]);
    expect(r.ok && hasScope(r.claims, 'voices:write')).toBe(false);
  });

  it.each([
    { name: 'missing', token: undefined, reason: 'missing' },
    { name: 'empty', token: '', reason: 'missing' },
    { name: 'not three parts', token: 'abc', reason: 'malformed' },
    { name: 'wrong version', token: 'v2.e30.AAAA', reason: 'malformed' },
    { name: 'not base64url', token: 'v1.$$$.AAAA', reason: 'malformed' },
    { name: 'huge', token: `v1.${'a'.repeat(5000)}.AAAA`, reason: 'malformed' },
  ])('refuses $name token ($reason)', async ({ token, reason }) => {
    expect(await verifyToken(SECRET, token, NOW)).toEqual({ ok: false, reason });
  });

  it('refuses an expired token (exp is exclusive)', async () => {
    const token = await signToken(SECRET, { sub: 'app1', exp });
    expect((await verifyToken(SECRET, token, exp * 1000 - 1)).ok).toBe(true);
    expect(await verifyToken(SECRET, token, exp * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token whose exp is further ahead than the maximum lifetime (default 24 h)', async () => {
    const day = NOW / 1000 + 86_400;
    expect((await verifyToken(SECRET, await signToken(SECRET, { sub: 'a', exp: day }), NOW)).ok).toBe(true);
    expect(await verifyToken(SECRET, await signToken(SECRET, { sub: 'a', exp: day + 1 }), NOW)).toEqual({ ok: false, reason: 'lifetime' });
    expect(await verifyToken(SECRET, await signToken(SECRET, { sub: 'a', exp: 1e300 }), NOW)).toEqual({ ok: false, reason: 'lifetime' });
    expect(await verifyToken(SECRET, await signToken(SECRET, { sub: 'a', exp: 4e12 }), NOW)).toEqual({ ok: false, reason: 'lifetime' });
    expect((await verifyToken(SECRET, await signToken(SECRET, { sub: 'a', exp: NOW / 1000 + 600 }), NOW, 600)).ok).toBe(true);
    expect(await verifyToken(SECRET, await signToken(SECRET, { sub: 'a', exp: NOW / 1000 + 601 }), NOW, 600)).toEqual({ ok: false, reason: 'lifetime' });
  });

  it('refuses another secret, a tampered payload and a tampered signature', async () => {
    const token = await signToken(SECRET, { sub: 'app1', exp });
    expect(await verifyToken('other', token, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    const [v, payload, sig] = token.split('.') as [string, string, string];
    const forged = base64UrlEncode(new TextEncoder().encode(JSON.stringify({ sub: 'app1', exp: exp + 1e6, scp: ['voices:write'] })));
    expect(await verifyToken(SECRET, `${v}.${forged}.${sig}`, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    expect(await verifyToken(SECRET, `${v}.${payload}.${flipped}`, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a signed payload with bad claims', async () => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mint = async (claims: unknown): Promise<string> => {
      const body = `v1.${base64UrlEncode(new TextEncoder().encode(JSON.stringify(claims)))}`;
      return `${body}.${base64UrlEncode(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body))))}`;
    };
    for (const claims of [{ exp }, { sub: 'a b', exp }, { sub: 'a', exp: 'soon' }, { sub: 'a', exp, scp: 'voices:write' }, [1]]) {
      expect(await verifyToken(SECRET, await mint(claims), NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts a token minted by `npm run token`', async () => {
    // Node-only module, typed by hand: the project's tsconfig has workerd types, not Node's.
    const childProcess = 'node:child_process';
    const { execFileSync } = (await import(childProcess)) as { execFileSync(cmd: string, args: string[], opts: { encoding: 'utf8' }): string };
    const nodeProcess = (globalThis as unknown as { process: { execPath: string } }).process;
    const out = execFileSync(nodeProcess.execPath, ['scripts/token.mjs', '--sub', 'cli', '--ttl', '120', '--scope', 'voices:write', '--secret', SECRET], {
      encoding: 'utf8',
    }).trim();
    const r = await verifyToken(SECRET, out);
    expect(r.ok && r.claims).toMatchObject({ sub: 'cli', scopes: ['voices:write'] });
    expect(r.ok && r.claims.exp - Date.now() / 1000).toBeGreaterThan(100);
  });
});

describe('verifyToken (property-based)', () => {
  it('never throws and never accepts junk', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(fc.base64String(), { maxLength: 4 }).map((p) => ['v1', ...p].join('.'))), async (junk) => {
        const r = await verifyToken(SECRET, junk, NOW);
        expect(r.ok).toBe(false);
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it('rejects every one-character change of a valid token', async () => {
    const token = await signToken(SECRET, { sub: 'app1', exp, scopes: ['voices:write'] });
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'ABCabc012-_.'), async (i, ch) => {
        fc.pre(token[i] !== ch);
        const mutated = token.slice(0, i) + ch + token.slice(i + 1);
        expect((await verifyToken(SECRET, mutated, NOW)).ok).toBe(false);
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });
});

describe('helpers', () => {
  it('base64url round-trips every byte', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64UrlDecode(base64UrlEncode(bytes))).toEqual(bytes);
  });

  it('timingSafeEqual compares content and length', () => {
    expect(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(timingSafeEqual(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
  });

  it.each([
    { origin: undefined, list: 'https://a.example', ok: true },
    { origin: 'https://a.example', list: '', ok: true },
    { origin: 'https://A.example/', list: 'https://a.example, https://b.example', ok: true },
    { origin: 'https://evil.example', list: 'https://a.example', ok: false },
    { origin: 'null', list: 'https://a.example', ok: false },
    { origin: 'https://evil.example', list: '*', ok: true },
  ])('origin $origin against "$list" → $ok', ({ origin, list, ok }) => {
    expect(originAllowed(origin, parseOriginList(list))).toBe(ok);
  });

  it('redacts tokens from URLs and log lines', () => {
    expect(redactUrl('http://h/v1/stream?token=v1.abc.def&x=1')).toBe('http://h/v1/stream?token=REDACTED&x=1');
    expect(redactSecrets('GET /v1/voices?x=1&token=secret Authorization: Bearer abc.def')).toBe(
      'GET /v1/voices?x=1&token=REDACTED Authorization: Bearer REDACTED',
    );
  });
});
