// Client side of `npm run bench`: one speak request on its own socket with per-chunk arrival times, and concurrent
// sockets with first-audio percentiles and a real-time check. Times are measured at the client.

/** pcm16 at the model's rate: bytes of audio per second. */
const PCM_BYTES_PER_SECOND = 22050 * 2;
/** A stream counts as real-time when no chunk arrives later than this after it would have been played. */
export const PREROLL_MS = 100;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Requests on one socket, one after another. Resolves with one result per text:
 * `{ ttfaMs, totalMs, audioMs, rtf, wireBytes, lateMs, server }`, where `lateMs` is how late the worst chunk came
 * against playback that starts PREROLL_MS after the first audio (0: real-time throughout; pcm16 only).
 */
export function speakAll(base, token, texts, voice, opts = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
    ws.binaryType = 'arraybuffer';
    const results = [];
    let cur;
    const next = () => {
      if (results.length === texts.length) {
        ws.close();
        resolve(results);
        return;
      }
      cur = { t0: performance.now(), first: 0, wireBytes: 0, audioBytes: 0, lateMs: 0 };
      ws.send(JSON.stringify({ type: 'speak', id: `r${results.length}`, text: texts[results.length], voice, ...opts }));
    };
    ws.onopen = next;
    ws.onmessage = (ev) => {
      const now = performance.now();
      if (typeof ev.data !== 'string') {
        if (!cur.first) cur.first = now;
        // This chunk would start playing at first + PREROLL + the audio before it.
        const due = cur.first + PREROLL_MS + (cur.audioBytes / PCM_BYTES_PER_SECOND) * 1000;
        cur.lateMs = Math.max(cur.lateMs, now - due);
        cur.audioBytes += ev.data.byteLength - 4;
        cur.wireBytes += ev.data.byteLength;
        return;
      }
      const m = JSON.parse(ev.data);
      if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
      if (m.type === 'done') {
        const totalMs = now - cur.t0;
        results.push({ ttfaMs: cur.first - cur.t0, totalMs, audioMs: m.audioMs, rtf: totalMs / m.audioMs, wireBytes: cur.wireBytes, lateMs: cur.lateMs, server: m });
        next();
      }
    };
    ws.onerror = (e) => reject(new Error(`socket error ${e.message ?? ''}`));
  });
}

export const speak = (base, token, text, voice, opts = {}) => speakAll(base, token, [text], voice, opts).then((r) => r[0]);

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * `sockets` sockets in one isolate, starting `staggerMs` apart, each speaking `texts` one after another: every
 * request after the first ones arrives while others stream. Returns first-audio p50/p95 over all requests, the
 * requests that fell behind real time, and audio seconds per wall second.
 */
export async function concurrent(base, token, sockets, texts, voice, staggerMs = 150) {
  const t0 = performance.now();
  const runs = await Promise.all(
    Array.from({ length: sockets }, async (_, i) => {
      await sleep(i * staggerMs);
      return speakAll(base, token, texts, voice);
    }),
  );
  const wall = performance.now() - t0;
  const all = runs.flat();
  const ttfa = all.map((r) => r.ttfaMs);
  const late = all.filter((r) => r.lateMs > 0);
  return {
    sockets,
    requests: all.length,
    p50: percentile(ttfa, 50),
    p95: percentile(ttfa, 95),
    behind: late.length,
    worstLateMs: Math.max(0, ...all.map((r) => r.lateMs)),
    audioPerSecond: all.reduce((s, r) => s + r.audioMs, 0) / wall,
  };
}
