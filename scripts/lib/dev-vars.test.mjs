// The local-secret plumbing behind `npm start` and `npm run token`: .dev.vars parsing, never replacing a secret, and
// the CLI's stdout being exactly one token that the worker's verifier accepts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/auth/token.ts';
import { ensureAuthSecret, parseDevVar } from './dev-vars.mjs';

const tokenCli = join(dirname(fileURLToPath(import.meta.url)), '..', 'token.mjs');
const dirs = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-vars-test-'));
  dirs.push(dir);
  return join(dir, '.dev.vars');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parseDevVar', () => {
  it.each([
    ['AUTH_SECRET=abc', 'abc'],
    ['AUTH_SECRET = "a b#c"', 'a b#c'],
    ["AUTH_SECRET='x'", 'x'],
    ['export AUTH_SECRET=y', 'y'],
    ['AUTH_SECRET=z # comment', 'z'],
    ['AUTH_SECRET=first\nAUTH_SECRET=last', 'last'],
    ['OTHER=1\r\nAUTH_SECRET=crlf\r\n', 'crlf'],
    ['# AUTH_SECRET=commented', undefined],
    ['AUTH_SECRET=', undefined],
    ['AUTH_SECRET_OLD=no', undefined],
  ])('%j -> %j', (text, want) => {
    expect(parseDevVar(text, 'AUTH_SECRET')).toBe(want);
  });
});

describe('ensureAuthSecret', () => {
  it('creates the file with a random secret, readable only by its owner', () => {
    const file = tempFile();
    const a = ensureAuthSecret(file);
    expect(a.created).toBe(true);
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseDevVar(readFileSync(file, 'utf8'), 'AUTH_SECRET')).toBe(a.secret);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    expect(ensureAuthSecret(tempFile()).secret).not.toBe(a.secret);
  });

  it('never replaces an existing secret', () => {
    const file = tempFile();
    writeFileSync(file, 'AUTH_SECRET="mine"\n');
    expect(ensureAuthSecret(file)).toEqual({ created: false, secret: 'mine' });
    expect(readFileSync(file, 'utf8')).toBe('AUTH_SECRET="mine"\n');
  });

  it('appends to a file without one and keeps the other entries', () => {
    const file = tempFile();
    writeFileSync(file, 'AUTH_TOKEN=legacy');
    const { created, secret } = ensureAuthSecret(file);
    const text = readFileSync(file, 'utf8');
    expect(created).toBe(true);
    expect(parseDevVar(text, 'AUTH_TOKEN')).toBe('legacy');
    expect(parseDevVar(text, 'AUTH_SECRET')).toBe(secret);
  });
});

describe('npm run token', () => {
  const run = (args, env) =>
    execFileSync(process.execPath, [tokenCli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } });

  it('prints only a token signed with $AUTH_SECRET, with the default subject and scopes given', async () => {
    const out = run(['--scope', 'voices:write'], { AUTH_SECRET: 'env-secret' });
    expect(out).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const r = await verifyToken('env-secret', out.trim());
    expect(r.ok && r.claims).toMatchObject({ sub: 'dev', scopes: ['voices:write'] });
    expect(r.ok && r.claims.exp - Date.now() / 1000).toBeGreaterThan(3500);
    expect(await verifyToken('other-secret', out.trim())).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('caps --ttl at MAX_TOKEN_LIFETIME_SECONDS, which the environment can set', async () => {
    const out = run(['--ttl', '90000'], { AUTH_SECRET: 'env-secret', MAX_TOKEN_LIFETIME_SECONDS: '100000' });
    const r = await verifyToken('env-secret', out.trim(), Date.now(), 100_000);
    expect(r.ok && r.claims.exp - Date.now() / 1000).toBeGreaterThan(89_000);
  });

  it('warns on stderr, not stdout, about a secret that looks like a placeholder', () => {
    const r = spawnSync(process.execPath, [tokenCli], { encoding: 'utf8', env: { PATH: process.env.PATH, AUTH_SECRET: '...' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    expect(r.stderr).toMatch(/warning: the secret is only 3 characters/);
  });

  it('refuses bad options on stderr with nothing on stdout', () => {
    for (const args of [['--ttl', '0'], ['--ttl', '1.5'], ['--ttl', '86401'], ['--sub', 'a b'], ['--scope', 'Voices'], ['--nope']]) {
      let err;
      try {
        run(args, { AUTH_SECRET: 'a-long-enough-secret', MAX_TOKEN_LIFETIME_SECONDS: '86400' });
      } catch (e) {
        err = e;
      }
      expect(err?.status).toBe(2);
      expect(err?.stdout).toBe('');
      expect(err?.stderr).toMatch(/^token: /);
    }
  });
});
