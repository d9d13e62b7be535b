import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

/** The policy's directives by name. */
function directives(csp: string | null): Map<string, string[]> {
  expect(csp, 'Content-Security-Policy').toBeTruthy();
  return new Map(
    csp!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectCommon(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
}

// The routes a browser renders or runs carry a tight policy; the demo page must work under it (the browser test).
describe('security headers on the HTML and JavaScript routes', () => {
  it('GET /: own scripts and styles only, sockets to its own host, no framing, no inline code', async () => {
    const res = await exports.default.fetch('https://tts.example.com/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectCommon(res, '/');
    const d = directives(res.headers.get('content-security-policy'));
    expect(d.get('default-src')).toEqual(["'none'"]);
    // No 'unsafe-inline' and no 'unsafe-eval': only the WebAssembly Opus decoder may compile.
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://tts.example.com', 'wss://tts.example.com']);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);

    // The page keeps to it: no inline script or style, no event-handler attributes; its code is a served module.
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toContain('<script type="module" src="/client/demo.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/client/demo.css">');
  });

  it('the WebSocket source follows the host the page was served from, port included', async () => {
    const res = await exports.default.fetch('http://127.0.0.1:8805/');
    const d = directives(res.headers.get('content-security-policy'));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:8805', 'wss://127.0.0.1:8805']);
  });

  it('/client/* (scripts, styles and the 404) carry nosniff, no framing and a no-referrer policy', async () => {
    for (const file of ['tts-client.js', 'tts-worklet.js', 'opus-fallback.js', 'demo.js', 'demo.css', 'missing.js']) {
      const res = await exports.default.fetch(`http://worker/client/${file}`);
      expect(res.status, file).toBe(file === 'missing.js' ? 404 : 200);
      expectCommon(res, file);
      const d = directives(res.headers.get('content-security-policy'));
      expect(d.get('default-src'), file).toEqual(["'none'"]);
      expect(d.get('frame-ancestors'), file).toEqual(["'none'"]);
      await res.arrayBuffer();
    }
  });
});
