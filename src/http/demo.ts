/** `GET /`: a demo page that streams speech over /v1/stream and plays it with Web Audio as it arrives. */
export const demoPage = /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edge-tts demo</title>
<style>
body{font:16px system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
textarea{width:100%;height:8rem;font:inherit}
.row{display:flex;gap:.5rem;align-items:center;margin:.5rem 0;flex-wrap:wrap}
#stats{font-variant-numeric:tabular-nums;color:#444}
#words span.on{background:#ffe58a}
</style></head><body>
<h1>edge-tts</h1>
<textarea id="text">Hello! This is a small text to speech model running at the edge. It streams audio while it speaks.</textarea>
<div class="row">
<label>Voice <select id="voice"></select></label>
<label>Speed <input id="speed" type="number" min="0.5" max="2" step="0.1" value="1"></label>
<label>Token <input id="token" type="password" placeholder="if required"></label>
<button id="speak">Speak</button><button id="stop">Stop</button>
</div>
<div id="stats">idle</div>
<p id="words"></p>
<script type="module">
const $ = (id) => document.getElementById(id);
const q = () => ($('token').value ? '?token=' + encodeURIComponent($('token').value) : '');
async function loadVoices() {
  const r = await fetch('/v1/voices' + q());
  if (!r.ok) { $('stats').textContent = 'voices: HTTP ' + r.status; return; }
  const { voices } = await r.json();
  $('voice').innerHTML = voices.map((v) => '<option value="' + v.id + '">' + v.name + ' (' + v.language + ')</option>').join('');
}
loadVoices();
let ws, ctx, nextTime = 0, current, active = false, sentAt = 0, firstAt = 0, sampleRate = 22050, n = 0;
function connect() {
  return new Promise((resolve, reject) => {
    if (ws && ws.readyState === 1) return resolve(ws);
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(proto + '//' + location.host + '/v1/stream' + q());
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error('WebSocket failed'));
    ws.onmessage = onMessage;
  });
}
function onMessage(ev) {
  if (typeof ev.data !== 'string') return play(ev.data);
  const m = JSON.parse(ev.data);
  if (m.id && m.id !== current) return;
  if (['done', 'cancelled', 'error'].includes(m.type) && m.id) active = false;
  if (m.type === 'start') sampleRate = m.sampleRate;
  else if (m.type === 'words') for (const w of m.words) {
    const s = document.createElement('span'); s.textContent = w.text + ' ';
    $('words').append(s);
    const at = nextStart + w.startMs / 1000;
    setTimeout(() => s.classList.add('on'), Math.max(0, (at - ctx.currentTime) * 1000));
  }
  else if (m.type === 'done') $('stats').textContent = 'first audio ' + m.firstAudioMs + ' ms (client ' + Math.round(firstAt - sentAt) + ' ms) · audio ' + (m.audioMs / 1000).toFixed(2) + ' s in ' + m.totalMs + ' ms · RTF ' + (m.totalMs / m.audioMs).toFixed(3) + ' · ' + m.chunks + ' chunks';
  else if (m.type === 'error') $('stats').textContent = 'error ' + m.code + ': ' + m.message;
  else if (m.type === 'cancelled') $('stats').textContent = 'cancelled';
}
let nextStart = 0;
function play(buf) {
  n++;
  if (n === 1) { firstAt = performance.now(); $('stats').textContent = 'first audio after ' + Math.round(firstAt - sentAt) + ' ms…'; }
  const pcm = new Int16Array(buf, 4);
  const ab = ctx.createBuffer(1, pcm.length, sampleRate);
  const ch = ab.getChannelData(0);
  for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
  const src = ctx.createBufferSource(); src.buffer = ab; src.connect(ctx.destination);
  nextTime = Math.max(nextTime, ctx.currentTime + 0.02);
  if (n === 1) nextStart = nextTime;
  src.start(nextTime); nextTime += ab.duration;
}
$('speak').onclick = async () => {
  ctx ??= new AudioContext(); await ctx.resume();
  const socket = await connect();
  if (active) socket.send(JSON.stringify({ type: 'cancel', id: current }));
  current = 'r' + Date.now(); n = 0; nextTime = 0; $('words').textContent = '';
  sentAt = performance.now(); active = true;
  socket.send(JSON.stringify({ type: 'speak', id: current, text: $('text').value, voice: $('voice').value, speed: Number($('speed').value) }));
};
$('stop').onclick = () => { if (ws && active) ws.send(JSON.stringify({ type: 'cancel', id: current })); ctx && ctx.close(); ctx = undefined; };
</script></body></html>`;
