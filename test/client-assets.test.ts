import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http';

// GET /client/:file serves the browser module built by scripts/build-client.mjs (npm run gen).
describe('GET /client/:file', () => {
  it('serves the built files (module, worklet, fallback, demo script and styles), cacheable and readable from any origin', async () => {
    for (const [file, marker, type] of [
      ['tts-client.js', 'export', 'text/javascript'],
      ['tts-worklet.js', 'registerProcessor', 'text/javascript'],
      ['opus-fallback.js', 'export', 'text/javascript'],
      ['demo.js', 'ttsDemo', 'text/javascript'],
      ['demo.css', 'prefers-color-scheme', 'text/css'],
    ] as const) {
      const res = await exports.default.fetch(`http://worker/client/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const body = await res.text();
      expect(body.length).toBeGreaterThan(1000);
      expect(body).toContain(marker);
    }
  });

  it('the entry loads its worklet and fallback by relative URL, so it works from any path or origin', async () => {
    const body = await (await exports.default.fetch('http://worker/client/tts-client.js')).text();
    expect(body).toContain('tts-worklet.js');
    expect(body).toContain('opus-fallback.js');
    expect(body).toContain('import.meta.url');
  });

  it('the demo script imports the served client module instead of carrying a second copy', async () => {
    const demo = await (await exports.default.fetch('http://worker/client/demo.js')).text();
    expect(demo).toMatch(/from\s*"\.\/tts-client\.js"/);
    expect(demo).not.toContain('registerProcessor');
    expect(demo).not.toContain('connection_failed'); // the client's own code stays in tts-client.js
  });

  it('404 with a JSON error for an unknown file', async () => {
    for (const name of ['nope.js', 'assets.ts', '..%2Fpackage.json', 'constructor', '__proto__']) {
      const res = await exports.default.fetch(`http://worker/client/${name}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('needs no token when the deployment has a secret (like /)', async () => {
    const app = createApp();
    const secured = { ...env, AUTH_SECRET: 'test-secret-for-client-assets' } as unknown as Env;
    expect((await app.request('/client/tts-client.js', {}, secured)).status).toBe(200);
    expect((await app.request('/v1/voices', {}, secured)).status).toBe(401);
  });
});
