// Drives Debian's chromium through playwright-core against the demo page (src/http/demo.ts, client/demo), by its
// element ids (#text, #voice, #format, #speak, #stop, #words, ...) and window.ttsDemo (`last`: live stats of the latest
// speak; `serverStates`; `recording`).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags found in the spike (chromium 156, headless, no sound card): none is needed for a real-time AudioContext.
 * With no audio device chromium falls back to a fake output stream whose clock runs at wall-clock speed, so
 * currentTime advances and AudioWorklet processors run in real time. Autoplay is allowed explicitly so the test
 * does not depend on the click counting as a user gesture.
 */
const ARGS = ['--no-sandbox', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'];

export function chromiumInstalled() {
  return existsSync(CHROMIUM);
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** The demo page's URL on `base`, with the token the page takes from `?token=` and any other query parameters. */
export function demoUrl(base, token, query = {}) {
  const u = new URL('/', base);
  if (token) u.searchParams.set('token', token);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.href;
}

/**
 * Opens the demo page at `url` in a fresh context and waits until `window.ttsDemo` and (unless `waitVoices` is
 * false) the voice list are there. Console lines, page errors and CSP violations are kept for failure reports;
 * `sent` collects the JSON text frames the page sends on its WebSockets, so a test sees exactly what was asked for.
 */
export async function openDemo(browser, url, { waitVoices = true, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLines = [];
  const sent = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      if (typeof f.payload !== 'string') return;
      try {
        sent.push(JSON.parse(f.payload));
      } catch {}
    }),
  );
  await page.goto(url);
  await page.waitForFunction(
    (voices) => 'ttsDemo' in window && (!voices || [...document.querySelectorAll('#voice option')].some((o) => o.value !== '')),
    waitVoices,
    { timeout: 20_000 },
  );
  return { page, context, consoleLines, sent };
}

/** Console lines that report a Content-Security-Policy violation: the page must run without any. */
export function cspViolations(consoleLines) {
  return consoleLines.filter((l) => /Content Security Policy|Content-Security-Policy/i.test(l));
}

/** Types `text`, picks `format` (`pcm16` | `opus`) and presses Speak. */
export async function speak(page, { text, format }) {
  await page.fill('#text', text);
  await page.selectOption('#format', format);
  await page.click('#speak');
}

/** `window.ttsDemo.last` now (a plain JSON copy), or null before the first speak. */
export function readStats(page) {
  return page.evaluate(() => {
    const last = window.ttsDemo?.last;
    return last ? JSON.parse(JSON.stringify(last)) : null;
  });
}

/**
 * Polls `window.ttsDemo.last` until its state is `done` or `error`, then returns it. On timeout throws an error
 * carrying the last stats seen.
 */
export async function waitForEnd(page, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let stats = null;
  while (Date.now() < until) {
    stats = await readStats(page);
    if (stats && (stats.state === 'done' || stats.state === 'error')) return stats;
    await new Promise((r) => setTimeout(r, 100));
  }
  const err = new Error(`speak did not end within ${timeoutMs} ms (state ${stats?.state ?? 'none'})`);
  err.stats = stats;
  throw err;
}

/** Resolves once the latest speak has received at least `n` binary chunks; polls every 10 ms to catch it mid-stream. */
export async function waitForChunks(page, n, timeoutMs) {
  await page.waitForFunction((k) => (window.ttsDemo?.last?.chunks ?? 0) >= k, n, { timeout: timeoutMs, polling: 10 });
  return readStats(page);
}

/**
 * The words the page was told about (`words` messages), in order, from the demo's #words list. Not part of the
 * page contract's ids; a missing list shows up as "no words" in the check that uses it.
 */
export function readWords(page) {
  return page.evaluate(() => [...document.querySelectorAll('#words span')].map((s) => s.textContent.trim()));
}
