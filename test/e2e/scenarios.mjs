// The end-to-end scenarios: speak on the demo page over loopback, across a dropped connection, and over shaped links.
// Each returns the stats it judged; a failed check throws an Error carrying those stats for the report.
import { cspViolations, demoUrl, openDemo, readStats, readWords, speak, waitForChunks, waitForEnd } from './browser.mjs';

export const SENTENCE = 'Hello from the edge. This sentence is spoken in a real browser.';
/** About 11 s of audio: long enough that PCM16 over a 300 kbit/s link falls behind real time. */
export const PARAGRAPH =
  'The quick brown fox jumps over the lazy dog. It was a bright cold day in April, and the clocks were striking thirteen. ' +
  'Call me Ishmael; some years ago, never mind how long precisely, I thought I would sail about a little.';

/** Upper bound on time to first sound; generous because the machine is small and shared. */
const FIRST_SOUND_LIMIT_MS = 8000;

export function fail(message, stats) {
  const err = new Error(message);
  err.stats = stats;
  return err;
}

/** The text's words as the server names them in `words` messages: split on spaces, punctuation dropped. */
function expectedWords(text) {
  return text.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}']/gu, '')).filter(Boolean);
}

/** Every word of the text reached the page once, in order (a resume must neither lose nor repeat `words` entries). */
export function checkWords(words, text, stats) {
  const want = expectedWords(text);
  if (words.join(' ') === want.join(' ')) return;
  const missing = want.filter((w, i) => words[i] !== w);
  throw fail(`words on the page differ from the text: got ${words.length} of ${want.length} [${words.join(' ')}]; first difference near "${missing[0] ?? ''}"`, stats);
}

/** Checks every speak must pass: it ended `done`, sound started, and what played is the whole request's audio. */
export function checkComplete(stats) {
  if (stats.state !== 'done') throw fail(`state ${stats.state}, expected done (error: ${JSON.stringify(stats.error)})`, stats);
  const done = stats.serverDone;
  if (!done || typeof done.audioMs !== 'number') throw fail('no server done message in the stats', stats);
  if (!(typeof stats.firstSoundMs === 'number' && stats.firstSoundMs > 0 && stats.firstSoundMs < FIRST_SOUND_LIMIT_MS)) {
    throw fail(`firstSoundMs ${stats.firstSoundMs}, expected a number in (0, ${FIRST_SOUND_LIMIT_MS})`, stats);
  }
  // One chunk of slack (the mean chunk length of this request) plus 100 ms for the player's quantum rounding.
  const chunkMs = done.chunks > 0 ? done.audioMs / done.chunks : 0;
  const tolerance = 100 + chunkMs;
  if (!(Math.abs(stats.playedMs - done.audioMs) <= tolerance)) {
    throw fail(`playedMs ${stats.playedMs} vs server audioMs ${done.audioMs}: off by more than ${tolerance.toFixed(0)} ms`, stats);
  }
}

/** Runs one speak on a fresh page and leaves a screenshot; `during` may act on the page while audio streams. */
async function speakOnce(env, { name, url, text, format, timeoutMs, beforeSpeak, during }) {
  const { page, context, consoleLines, sent } = await openDemo(env.browser, url);
  env.current = { page, consoleLines };
  try {
    // The page loads at full speed; a shaped link starts here, so it only carries the speech.
    beforeSpeak?.();
    await speak(page, { text, format });
    const extra = during ? await during(page) : undefined;
    const stats = await waitForEnd(page, timeoutMs);
    const blocked = cspViolations(consoleLines);
    if (blocked.length > 0) throw fail(`the page broke its Content-Security-Policy: ${blocked.join(' | ')}`, stats);
    return { stats, extra, sent, words: await readWords(page) };
  } finally {
    await page.screenshot({ path: `${env.artifacts}/${name}.png`, fullPage: true }).catch(() => {});
    env.current = { stats: await readStats(page).catch(() => null), consoleLines };
    await context.close();
  }
}

/**
 * a/b: loopback straight to wrangler dev; no underruns allowed. `decoder: 'wasm'` makes the page decode Opus with the
 * WASM fallback that browsers without WebCodecs Opus (Safari) get.
 */
export async function loopback(env, format, { decoder } = {}) {
  const name = `loopback-${format}${decoder ? `-${decoder}` : ''}`;
  const url = demoUrl(env.base, env.token, decoder ? { decoder } : {});
  const { stats, words, sent } = await speakOnce(env, { name, url, text: SENTENCE, format, timeoutMs: 30_000 });
  checkComplete(stats);
  // What the page asked for: the chosen format, and Opus's bitrate (the picker's default) only with Opus.
  const req = sent.find((m) => m.type === 'speak');
  if (!req || req.format !== format) throw fail(`the speak message sent was ${JSON.stringify(req)}, expected format ${format}`, stats);
  if ((format === 'opus') !== (req.bitrate === 24000)) throw fail(`bitrate ${req.bitrate} sent with ${format}`, stats);
  checkWords(words, SENTENCE, stats);
  if (stats.underruns !== 0) throw fail(`underruns ${stats.underruns} on loopback, expected 0`, stats);
  if (stats.format !== format) throw fail(`format ${stats.format}, expected ${format}`, stats);
  const want = decoder ?? (format === 'opus' ? 'webcodecs' : 'pcm16');
  if (stats.decoder !== want) throw fail(`decoder ${stats.decoder}, expected ${want}`, stats);
  return stats;
}

/**
 * c: through the shaper on a link a few times faster than the format needs (so the stream spans seconds), drop
 * every connection once some chunks arrived, and expect the client to resume with nothing lost or repeated.
 */
export async function resume(env, format) {
  const rateBps = format === 'opus' ? 120_000 : 1_200_000;
  try {
    const { stats, extra, words } = await speakOnce(env, {
      name: `resume-${format}`,
      url: demoUrl(env.shaperBase, env.token),
      text: PARAGRAPH,
      format,
      timeoutMs: 60_000,
      beforeSpeak: () => env.shaper.setLink({ rateBps, latencyMs: 20 }),
      during: async (page) => {
        const before = await waitForChunks(page, 8, 20_000);
        const dropped = env.shaper.dropAll();
        return { before, dropped };
      },
    });
    const { before, dropped } = extra;
    // The drop must land mid-stream, or the scenario tested nothing.
    if (before.serverDone || before.state === 'done') throw fail('the drop came after the server finished; nothing was resumed', before);
    if (dropped < 1) throw fail('no open connection to drop', stats);
    checkComplete(stats);
    if (!(stats.reconnects >= 1)) throw fail(`reconnects ${stats.reconnects}, expected >= 1 after the drop`, stats);
    if (stats.chunks !== stats.serverDone.chunks) {
      throw fail(`received ${stats.chunks} chunks, server sent ${stats.serverDone.chunks}: lost or duplicated chunks`, stats);
    }
    checkWords(words, PARAGRAPH, { ...stats, droppedAtChunk: before.chunks });
    return { ...stats, droppedAtChunk: before.chunks };
  } finally {
    env.shaper.setLink({});
  }
}

/** d: one paragraph over a shaped link; returns a table row (the caller judges underruns across formats). */
export async function shaped(env, link, format) {
  let c0, t0;
  const beforeSpeak = () => {
    env.shaper.setLink(link);
    c0 = env.shaper.counters();
    t0 = performance.now();
  };
  try {
    const name = `shaped-${Math.round(link.rateBps / 1000)}k-${format}`;
    const { stats, words } = await speakOnce(env, { name, url: demoUrl(env.shaperBase, env.token), text: PARAGRAPH, format, timeoutMs: 90_000, beforeSpeak });
    const c1 = env.shaper.counters();
    checkComplete(stats);
    checkWords(words, PARAGRAPH, stats);
    return {
      link: `${Math.round(link.rateBps / 1000)} kbit/s, ${link.latencyMs} ms`,
      format,
      firstSoundMs: Math.round(stats.firstSoundMs),
      underruns: stats.underruns,
      underrunMs: Math.round(stats.underrunMs),
      kbps: Math.round(stats.bitrateKbps),
      bytes: stats.bytes,
      linkBytes: c1.down - c0.down,
      audioMs: stats.serverDone.audioMs,
      wallMs: Math.round(performance.now() - t0),
      stats,
    };
  } finally {
    env.shaper.setLink({});
  }
}
