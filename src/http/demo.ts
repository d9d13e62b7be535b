/**
 * `GET /`: the demo page. It uses the client module (`/client/tts-client.js`): streams over /v1/stream, plays through
 * the AudioWorklet queue, and shows first-sound time, bitrate and underruns. The browser test relies on the element
 * ids (#text #voice #format #speak #stop #stats) and on `window.ttsDemo` ({ client, player, last }).
 */
export const demoPage = /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edge-tts demo</title><link rel="icon" href="data:,">
<style>
body{font:16px system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
textarea{width:100%;height:8rem;font:inherit}
.row{display:flex;gap:.5rem;align-items:center;margin:.5rem 0;flex-wrap:wrap}
#stats{font-variant-numeric:tabular-nums;color:#444;min-height:1.5em}
#stats b{font-weight:600;color:#111}
#words span.on{background:#ffe58a}
small{color:#777}
</style></head><body>
<h1>edge-tts</h1>
<textarea id="text">Hello! This is a small text to speech model running at the edge. It streams audio while it speaks.</textarea>
<div class="row">
<label>Voice <select id="voice"></select></label>
<label>Speed <input id="speed" type="number" min="0.5" max="2" step="0.1" value="1"></label>
<label>Format <select id="format"><option value="pcm16">PCM 16-bit</option><option value="opus">Opus</option></select></label>
<label>Opus bitrate <select id="bitrate"><option value="16000">16 kbit/s</option><option value="24000" selected>24 kbit/s</option><option value="32000">32 kbit/s</option></select></label>
</div>
<div class="row">
<label>Token <input id="token" type="password" placeholder="if required" autocomplete="off"></label>
<button id="speak">Speak</button><button id="stop">Stop</button>
</div>
<div id="stats">idle</div>
<p id="words"></p>
<p><small>Streams over <code>/v1/stream</code> with the client module <code>/client/tts-client.js</code>
(reconnects and resumes by itself; Opus decodes with WebCodecs, or a WASM decoder where the browser has none).</small></p>
<script type="module">
import { AudioPlayer, TtsClient, speakAndPlay } from '/client/tts-client.js';
const $ = (id) => document.getElementById(id);
const demo = (window.ttsDemo = { client: null, player: new AudioPlayer(), last: null });
const params = new URLSearchParams(location.search);
if (params.get('token')) $('token').value = params.get('token');
const tokenQuery = () => ($('token').value ? '?token=' + encodeURIComponent($('token').value) : '');
const rates = new Map();

async function loadVoices() {
  const r = await fetch('/v1/voices' + tokenQuery());
  if (!r.ok) { $('stats').textContent = 'voices: HTTP ' + r.status + (r.status === 401 ? ' (enter a token)' : ''); return; }
  const { voices } = await r.json();
  $('voice').replaceChildren(...voices.map((v) => {
    rates.set(v.id, v.sampleRate);
    return new Option(v.name + ' (' + v.language + ')', v.id);
  }));
}
loadVoices();
$('token').addEventListener('change', loadVoices);

let clientToken = null;
function client() {
  const token = $('token').value;
  if (!demo.client || clientToken !== token) {
    demo.client?.close();
    // ?decoder=wasm tries the WASM Opus decoder that browsers without WebCodecs Opus get (the browser test uses it).
    demo.client = new TtsClient({ token: token || undefined, forceWasmOpus: params.get('decoder') === 'wasm' });
    clientToken = token;
  }
  return demo.client;
}

const fmt = (n, digits = 0) => (n === null || n === undefined ? '–' : n.toFixed(digits));
function show(s) {
  const parts = [
    s.state,
    'first sound <b>' + fmt(s.firstSoundMs) + ' ms</b>',
    'bitrate <b>' + fmt(s.bitrateKbps, 1) + ' kbit/s</b>',
    'underruns <b>' + s.underruns + '</b> (' + fmt(s.underrunMs) + ' ms)',
    'reconnects ' + s.reconnects,
    'audio ' + fmt(s.audioMs / 1000, 2) + ' s, played ' + fmt(s.playedMs / 1000, 2) + ' s',
    s.chunks + ' chunks, ' + (s.bytes / 1024).toFixed(1) + ' KiB',
    s.format + (s.decoder ? ' (' + s.decoder + ')' : ''),
  ];
  if (s.serverDone) parts.push('server first audio ' + s.serverDone.firstAudioMs + ' ms, RTF ' + (s.serverDone.totalMs / Math.max(1, s.serverDone.audioMs)).toFixed(3));
  if (s.error) parts.push('error ' + s.error.code + ': ' + s.error.message);
  $('stats').innerHTML = parts.join(' · ');
}

let current = null;
let spans = [];
$('speak').onclick = () => {
  current?.stop();
  $('words').textContent = '';
  spans = [];
  const format = $('format').value;
  const voice = $('voice').value;
  const run = speakAndPlay(client(), demo.player, {
    text: $('text').value,
    voice,
    format,
    speed: Number($('speed').value),
    bitrate: format === 'opus' ? Number($('bitrate').value) : undefined,
    expectedSampleRate: format === 'opus' ? 48000 : rates.get(voice),
    onWords(words) {
      for (const w of words) {
        const span = document.createElement('span');
        span.textContent = w.text + ' ';
        $('words').append(span);
        spans.push({ span, startMs: w.startMs });
      }
    },
    onStats(s) {
      // Highlight by audio actually played, so a gap holds the highlight back too.
      for (const w of spans) if (w.startMs <= s.playedMs) w.span.classList.add('on');
      show(s);
    },
  });
  current = run;
  demo.last = run.stats;
  show(run.stats);
  run.finished.then(show);
};
$('stop').onclick = () => { current?.stop(); current = null; };
</script></body></html>`;
