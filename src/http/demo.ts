/**
 * `GET /`: the demo page. Markup only: its script (`/client/demo.js`, from client/demo) and styles
 * (`/client/demo.css`) are served files, so the page runs under a policy with no inline script or style
 * (security-headers.ts). The browser test drives it by these element ids and reads `window.ttsDemo`.
 */
export const demoPage = /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>edge-tts · streaming speech</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/client/demo.css">
<script type="module" src="/client/demo.js"></script>
</head><body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true"></span><span>edge-tts</span></div>
  <div id="server-status" class="pill" data-state="checking" role="status">Checking the server…</div>
</header>
<main class="layout">
  <section class="card compose" aria-label="Text and playback">
    <label class="label" for="text">Text</label>
    <textarea id="text" spellcheck="false">Hello! This is a small text to speech model running at the edge. It streams audio while it speaks, so the first words play long before the last ones are made.</textarea>
    <div class="actions">
      <button id="speak" class="primary" type="button">Speak</button>
      <button id="stop" type="button" disabled>Stop</button>
      <button id="download" type="button" disabled>Download WAV</button>
      <span id="chars" class="muted"></span>
    </div>
    <div id="notice" class="notice" hidden></div>
    <div class="meter">
      <canvas id="wave" width="720" height="72" aria-label="Level of the audio received and played"></canvas>
      <div class="meter-row"><span id="progress">0.0 s / 0.0 s</span><span id="state" class="muted">idle</span></div>
    </div>
    <p id="words" class="words" aria-label="Words as they are spoken"></p>
  </section>
  <aside class="card settings" aria-label="Settings">
    <div class="field">
      <label class="label" for="voice">Voice</label>
      <select id="voice"><option value="">Loading voices…</option></select>
    </div>
    <div class="field">
      <label class="label" for="voice-b">Blend with</label>
      <select id="voice-b"><option value="">No blend</option></select>
      <input id="blend" type="range" min="5" max="95" step="5" value="70" aria-label="Weight of the first voice" disabled>
      <div class="weights" id="blend-weights" hidden><span id="weight-a"></span><span id="weight-b"></span></div>
      <div class="hint">Voice sent: <code id="blend-spec"></code></div>
      <p id="blend-note" class="hint" hidden></p>
    </div>
    <div class="field">
      <label class="label" for="speed">Speed <output id="speed-value" for="speed">1.00×</output></label>
      <input id="speed" type="range" min="0.5" max="2" step="0.05" value="1">
    </div>
    <div class="field">
      <label class="label" for="format">Format</label>
      <select id="format"><option value="pcm16">PCM 16-bit</option><option value="opus">Opus (compressed)</option></select>
    </div>
    <div class="field" id="bitrate-field" hidden>
      <label class="label" for="bitrate">Opus bitrate</label>
      <select id="bitrate"><option value="16000">16 kbit/s</option><option value="24000" selected>24 kbit/s</option><option value="32000">32 kbit/s</option></select>
    </div>
    <div class="field">
      <label class="label" for="token">Access token</label>
      <input id="token" type="password" placeholder="paste a token" autocomplete="off" spellcheck="false">
      <div id="auth-help" class="notice warn" hidden>
        <p><b>This server needs a token.</b> Mint one where the server's secret is, then paste it above:</p>
        <pre>npm run -s token -- --sub demo</pre>
        <p>For <code>npm start</code> the secret is <code>AUTH_SECRET</code> in <code>.dev.vars</code>, which the command reads.
        For a deployment, run it with <code>AUTH_SECRET</code> set to the deployed secret. Tokens expire (one hour by default).</p>
      </div>
    </div>
  </aside>
  <section class="card figures" aria-label="Figures">
    <dl>
      <div><dt>First sound</dt><dd id="first-sound">–</dd></div>
      <div><dt>Server first audio</dt><dd id="server-first">–</dd></div>
      <div><dt>Audio</dt><dd id="audio-len">–</dd></div>
      <div><dt>Bitrate</dt><dd id="bitrate-now">–</dd></div>
      <div><dt>Underruns</dt><dd id="underruns">–</dd></div>
      <div><dt>Reconnects</dt><dd id="reconnects">–</dd></div>
      <div><dt>Decoder</dt><dd id="decoder">–</dd></div>
      <div><dt>Real-time factor</dt><dd id="rtf">–</dd></div>
    </dl>
    <p id="stats" class="muted">idle</p>
  </section>
</main>
<footer class="muted">Streams over <code>/v1/stream</code> with the browser client module <code>/client/tts-client.js</code>:
it reconnects and resumes by itself, and decodes Opus with WebCodecs, or a WASM decoder where the browser has none.</footer>
</body></html>`;
