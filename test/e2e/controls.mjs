// The demo page's controls, one scenario each group: the fresh-instance state on a cold server, the token help on a
// refused request, and every control of a speak (voices, blend, speed, format/bitrate, stop, download, words,
// first-sound time). Each leaves screenshots in artifacts/e2e/ and throws an Error carrying the stats on failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cspViolations, demoUrl, openDemo, readStats, readWords, waitForEnd } from './browser.mjs';
import { PARAGRAPH, SENTENCE, checkComplete, checkWords, fail } from './scenarios.mjs';

const ALT_VOICE = 'e2e-alt';

async function shot(env, page, name) {
  await page.screenshot({ path: join(env.artifacts, `${name}.png`), fullPage: true }).catch(() => {});
}

function checkCsp(consoleLines, stats) {
  const blocked = cspViolations(consoleLines);
  if (blocked.length > 0) throw fail(`the page broke its Content-Security-Policy: ${blocked.join(' | ')}`, stats);
}

/** Sets a range input the way a drag does (value, then an `input` event). */
function slide(page, selector, value) {
  return page.$eval(selector, (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/**
 * On a server that has not loaded the model, the page must say it is starting the model on a fresh instance while
 * its /healthz waits, and then that the model is ready. Warms the worker afterwards for the other scenarios.
 */
export async function coldStart(env) {
  const { page, context, consoleLines } = await openDemo(env.browser, demoUrl(env.base, env.token), { waitVoices: false });
  env.current = { page, consoleLines };
  try {
    await page.waitForSelector('#server-status[data-state="starting"]', { timeout: 10_000 }).catch(() => {
      throw fail('the page never showed the "starting" state on a cold server', null);
    });
    const notice = (await page.textContent('#notice')) ?? '';
    if (!/Starting the model on a fresh instance/.test(notice) || !/loading the speech model/.test(notice)) {
      throw fail(`the starting notice does not say why the wait: ${JSON.stringify(notice)}`, null);
    }
    await shot(env, page, 'cold-start');
    await page.waitForSelector('#server-status[data-state="ready"]', { timeout: 60_000 });
    const states = await page.evaluate(() => window.ttsDemo.serverStates);
    if (states.join(',') !== 'checking,starting,ready') throw fail(`server states ${states.join(',')}, expected checking,starting,ready`, null);
    const pill = (await page.textContent('#server-status')) ?? '';
    if (!/Model ready · started in \d+\.\d s/.test(pill)) throw fail(`ready pill reads ${JSON.stringify(pill)}`, null);
    if (await page.isVisible('#notice')) throw fail('the starting notice stayed up after the model was ready', null);
    await shot(env, page, 'cold-ready');
    checkCsp(consoleLines, null);
    return `states ${states.join(' → ')}; ${pill}`;
  } finally {
    await context.close();
    await env.worker.warm();
  }
}

/**
 * Without a token the server answers 401: the page must explain how to get one, keep Speak off, and work once a
 * token is pasted. Also the blend control with the voices the server has now.
 */
export async function authHelp(env) {
  const { page, context, consoleLines } = await openDemo(env.browser, demoUrl(env.base, null), { waitVoices: false });
  env.current = { page, consoleLines };
  try {
    await page.waitForSelector('#auth-help', { state: 'visible', timeout: 10_000 });
    const help = (await page.textContent('#auth-help')) ?? '';
    if (!help.includes('npm run -s token -- --sub demo') || !help.includes('.dev.vars')) throw fail(`the token help does not say how to get one: ${JSON.stringify(help)}`, null);
    const notice = (await page.textContent('#notice')) ?? '';
    if (!/needs an access token/.test(notice) || !/401/.test(notice)) throw fail(`notice ${JSON.stringify(notice)}`, null);
    if (!(await page.isDisabled('#speak'))) throw fail('Speak is enabled with no voices listed', null);
    await shot(env, page, 'auth-needed');

    await page.fill('#token', env.token);
    await page.dispatchEvent('#token', 'change');
    await page.waitForFunction(() => [...document.querySelectorAll('#voice option')].some((o) => o.value !== ''), null, { timeout: 10_000 });
    if (await page.isVisible('#auth-help')) throw fail('the token help stayed up after a good token', null);
    if (await page.isDisabled('#speak')) throw fail('Speak stayed disabled after the voices loaded', null);

    // One voice: the blend control has nothing to blend and says so; the request's voice is the plain id.
    const voices = await page.$$eval('#voice > option', (os) => os.map((o) => o.value).filter(Boolean));
    const note = await page.isVisible('#blend-note');
    const bDisabled = await page.isDisabled('#voice-b');
    if (voices.length === 1 && !(note && bDisabled)) throw fail(`one voice: blend note visible ${note}, second picker disabled ${bDisabled}`, null);
    if (voices.length > 1 && (note || bDisabled)) throw fail(`${voices.length} voices: blend note visible ${note}, second picker disabled ${bDisabled}`, null);
    const spec = await page.textContent('#blend-spec');
    if (spec !== voices[0]) throw fail(`blend spec ${JSON.stringify(spec)} with no second voice, expected ${voices[0]}`, null);
    await shot(env, page, 'auth-ok');
    checkCsp(consoleLines, null);
    return `401 help shown; ${voices.length} voice(s) after the token; blend note ${note ? 'shown' : 'hidden'}`;
  } finally {
    await context.close();
  }
}

/** A second voice for the blend: the first voice's embedding with every other component negated (same norm). */
async function addAltVoice(env) {
  const bytes = readFileSync(join(env.root, 'models-int8', 'voices', 'joe.bin'));
  const emb = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), (v, i) => (i % 2 ? -v : v));
  const res = await fetch(`${env.base}/v1/voices/${ALT_VOICE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Alt (test)', language: 'en-US', embedding: emb, description: 'browser test voice' }),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT /v1/voices/${ALT_VOICE}: ${res.status} ${await res.text()}`);
}

async function removeAltVoice(env) {
  await fetch(`${env.base}/v1/voices/${ALT_VOICE}`, { method: 'DELETE', headers: { authorization: `Bearer ${env.token}` } }).catch(() => {});
}

/** The header fields of a mono 16-bit WAV file. */
function readWav(buf) {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const ascii = (o) => buf.subarray(o, o + 4).toString('latin1');
  return {
    riff: ascii(0), riffSize: v.getUint32(4, true), wave: ascii(8), format: v.getUint16(20, true), channels: v.getUint16(22, true),
    rate: v.getUint32(24, true), bits: v.getUint16(34, true), data: ascii(36), dataSize: v.getUint32(40, true), bytes: buf.length,
  };
}

/** Speaks `text` with the page's current settings and waits for the end; returns the stats and the speak frame. */
async function speakAndWait(page, sent, text, timeoutMs = 30_000) {
  const before = sent.length;
  await page.fill('#text', text);
  await page.click('#speak');
  const stats = await waitForEnd(page, timeoutMs);
  const req = sent.slice(before).find((m) => m.type === 'speak');
  if (!req) throw fail('no speak message was sent', stats);
  return { stats, req };
}

export async function controls(env) {
  await addAltVoice(env);
  const { page, context, consoleLines, sent } = await openDemo(env.browser, demoUrl(env.base, env.token));
  env.current = { page, consoleLines };
  try {
    // Voice list: the server's voices, the new one included.
    await page.waitForFunction((id) => [...document.querySelectorAll('#voice option')].some((o) => o.value === id), ALT_VOICE, { timeout: 10_000 });
    const voices = await page.$$eval('#voice > option', (os) => os.map((o) => o.value).filter(Boolean));
    if (!voices.includes('joe') || !voices.includes(ALT_VOICE)) throw fail(`voice list ${voices.join(', ')}`, null);
    // Alias names (e.g. OpenAI's) the server lists are offered apart, each naming its voice.
    const listed = await (await fetch(`${env.base}/v1/voices`, { headers: { authorization: `Bearer ${env.token}` } })).json();
    const shown = await page.$$eval('#voice optgroup option', (os) => os.map((o) => o.value));
    const want = (listed.aliases ?? []).map((a) => a.id);
    if (shown.join(',') !== want.join(',')) throw fail(`alias names shown [${shown}], server lists [${want}]`, null);

    // Format: the bitrate picker only for Opus.
    await page.selectOption('#format', 'opus');
    if (!(await page.isVisible('#bitrate'))) throw fail('the bitrate picker is hidden with Opus', null);
    await page.selectOption('#format', 'pcm16');
    if (await page.isVisible('#bitrate')) throw fail('the bitrate picker shows with PCM', null);

    // Baseline at speed 1 with one voice: the sent voice is the plain id.
    await page.selectOption('#voice', 'joe');
    const base = await speakAndWait(page, sent, SENTENCE);
    checkComplete(base.stats);
    if (base.req.voice !== 'joe' || base.req.speed !== 1 || base.req.format !== 'pcm16' || 'bitrate' in base.req) {
      throw fail(`baseline speak message ${JSON.stringify(base.req)}`, base.stats);
    }

    // Speed: sent as set, and the server's audio is shorter by about that much.
    await slide(page, '#speed', 1.5);
    if ((await page.textContent('#speed-value')) !== '1.50×') throw fail(`speed label ${await page.textContent('#speed-value')}`, null);
    const quick = await speakAndWait(page, sent, SENTENCE);
    checkComplete(quick.stats);
    if (quick.req.voice !== 'joe' || quick.req.speed !== 1.5) throw fail(`speed-1.5 speak message ${JSON.stringify(quick.req)}`, quick.stats);
    const ratio = quick.stats.serverDone.audioMs / base.stats.serverDone.audioMs;
    if (!(ratio > 0.5 && ratio < 0.8)) throw fail(`speed 1.5 gave ${quick.stats.serverDone.audioMs} ms vs ${base.stats.serverDone.audioMs} ms at 1 (×${ratio.toFixed(2)})`, quick.stats);

    // Blend: the slider changes the spec shown and sent.
    await page.selectOption('#voice-b', ALT_VOICE);
    await slide(page, '#blend', 30);
    const spec = await page.textContent('#blend-spec');
    if (spec !== `joe:0.3,${ALT_VOICE}:0.7`) throw fail(`blend spec shown ${JSON.stringify(spec)} at 30%`, null);
    const weights = `${await page.textContent('#weight-a')} / ${await page.textContent('#weight-b')}`;
    if (weights !== 'Joe 30% / Alt (test) 70%') throw fail(`blend weights read ${JSON.stringify(weights)}`, null);
    const before = sent.length;
    await page.fill('#text', SENTENCE);
    await page.click('#speak');
    // Mid-speech: some words said, one being said, later ones not yet.
    await page.waitForFunction(() => {
      const spans = [...document.querySelectorAll('#words span')];
      const on = spans.filter((s) => s.classList.contains('on')).length;
      return on >= 2 && on <= spans.length - 2 && document.querySelectorAll('#words span.now').length === 1;
    }, null, { timeout: 20_000, polling: 20 }).catch(() => {
      throw fail('the words were never highlighted part-way through the speech', null);
    });
    await shot(env, page, 'controls-playing');
    const fast = await waitForEnd(page, 60_000);
    const fastReq = sent.slice(before).find((m) => m.type === 'speak');
    checkComplete(fast);
    checkWords(await readWords(page), SENTENCE, fast);
    if (fastReq?.voice !== `joe:0.3,${ALT_VOICE}:0.7` || fastReq.speed !== 1.5) throw fail(`blended speak message ${JSON.stringify(fastReq)}`, fast);
    const highlighted = await page.$$eval('#words span', (ss) => ss.every((s) => s.classList.contains('on')) && !ss.some((s) => s.classList.contains('now')));
    if (!highlighted) throw fail('not every word is highlighted after the end', fast);

    // First-sound time on the page is the measured one.
    const firstShown = await page.textContent('#first-sound');
    if (firstShown !== `${Math.round(fast.firstSoundMs)} ms`) throw fail(`first sound shows ${firstShown}, stats say ${fast.firstSoundMs}`, fast);

    // Download: a valid WAV of what was spoken.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#download')]);
    const wavPath = join(env.artifacts, 'download.wav');
    await download.saveAs(wavPath);
    const wav = readWav(readFileSync(wavPath));
    const wavMs = (wav.dataSize / 2 / wav.rate) * 1000;
    const chunkMs = fast.serverDone.audioMs / fast.serverDone.chunks;
    if (wav.riff !== 'RIFF' || wav.wave !== 'WAVE' || wav.data !== 'data' || wav.format !== 1 || wav.channels !== 1 || wav.bits !== 16 || wav.rate !== 22050) {
      throw fail(`download is not a mono 16-bit 22050 Hz WAV: ${JSON.stringify(wav)}`, fast);
    }
    if (wav.bytes !== 44 + wav.dataSize || wav.riffSize !== 36 + wav.dataSize) throw fail(`WAV sizes do not match its length: ${JSON.stringify(wav)}`, fast);
    if (!(Math.abs(wavMs - fast.serverDone.audioMs) <= chunkMs + 5)) throw fail(`WAV is ${wavMs.toFixed(0)} ms, the server spoke ${fast.serverDone.audioMs} ms`, fast);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(env, page, 'controls-done-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(env, page, 'controls-done');

    // Stop: playback halts at once and the request is cancelled on the wire.
    // Three paragraphs (~35 s of audio): the server is still synthesising when Stop comes, so it must be cancelled.
    await slide(page, '#speed', 1);
    await page.fill('#text', [PARAGRAPH, PARAGRAPH, PARAGRAPH].join(' '));
    await page.click('#speak');
    await page.waitForFunction(() => (window.ttsDemo.last?.playedMs ?? 0) > 1000, null, { timeout: 20_000 });
    await page.click('#stop');
    const stopped = await waitForEnd(page, 5000);
    // Stats in flight from the audio thread may still count the few ms played before the stop reached it; after
    // that nothing more plays.
    const at = stopped.playedMs;
    await new Promise((r) => setTimeout(r, 300));
    const settled = (await readStats(page)).playedMs;
    await new Promise((r) => setTimeout(r, 800));
    const later = await readStats(page);
    if (!stopped.stopped || settled - at > 250 || later.playedMs !== settled) {
      throw fail(`after Stop, played ${at.toFixed(0)} → ${settled.toFixed(0)} → ${later.playedMs.toFixed(0)} ms`, later);
    }
    // A request the server had finished needs no cancel; one still running must get it.
    if (!later.serverDone && !sent.some((m) => m.type === 'cancel')) throw fail('Stop sent no cancel while the server was still speaking', later);
    if (!(await page.isDisabled('#stop')) || (await page.textContent('#state')) !== 'stopped') throw fail('the page does not show the stop', later);
    if ((await page.$$('#words span.now')).length !== 0) throw fail('a word is still marked as being said after Stop', later);
    await shot(env, page, 'controls-stopped');
    checkCsp(consoleLines, later);
    return `${voices.length} voices + ${want.length} alias names listed; speed 1.5 → audio ×${ratio.toFixed(2)}; blend ${fastReq.voice}; WAV ${wavMs.toFixed(0)} / ${fast.serverDone.audioMs} ms; stopped at ${at.toFixed(0)} ms (${later.serverDone ? 'after the server finished' : 'cancelled mid-synthesis'})`;
  } finally {
    env.current = { stats: await readStats(page).catch(() => null), consoleLines };
    await context.close();
    await removeAltVoice(env);
  }
}
