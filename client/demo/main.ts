/**
 * The demo page's script (served as /client/demo.js; markup in src/http/demo.ts). It checks the server first
 * (a fresh instance loads the model, and the page says so), lists the voices, and speaks with the client module,
 * which it imports from /client/tts-client.js at run time rather than bundling a second copy.
 * The browser test reads `window.ttsDemo`: `last` is the latest request's live stats, `serverStates` every state
 * the server pill showed, `recording` what the latest request has spoken.
 */
import { AudioPlayer, TtsClient, speakAndPlay, type SpeakAndPlay, type SpeakAndPlayStats, type TtsFormat } from '../src/index';
import { blendSpec } from './blend';
import { byId } from './dom';
import { renderFigures } from './figures';
import { Recording } from './recording';
import { fetchVoices, type DemoVoice } from './voices';
import { checkServer } from './warmup';
import { drawLevels } from './waveform';
import { WordTrack } from './words';

type ServerState = 'checking' | 'starting' | 'ready' | 'error';

interface DemoHandle {
  client: TtsClient | null;
  player: AudioPlayer;
  last: SpeakAndPlayStats | null;
  serverStates: ServerState[];
  recording: Recording | null;
}

declare global {
  interface Window {
    ttsDemo: DemoHandle;
  }
}

const el = {
  text: byId('text', HTMLTextAreaElement),
  chars: byId('chars', HTMLElement),
  voice: byId('voice', HTMLSelectElement),
  voiceB: byId('voice-b', HTMLSelectElement),
  blend: byId('blend', HTMLInputElement),
  blendSpec: byId('blend-spec', HTMLElement),
  blendNote: byId('blend-note', HTMLElement),
  blendWeights: byId('blend-weights', HTMLElement),
  weightA: byId('weight-a', HTMLElement),
  weightB: byId('weight-b', HTMLElement),
  speed: byId('speed', HTMLInputElement),
  speedValue: byId('speed-value', HTMLOutputElement),
  format: byId('format', HTMLSelectElement),
  bitrateField: byId('bitrate-field', HTMLElement),
  bitrate: byId('bitrate', HTMLSelectElement),
  token: byId('token', HTMLInputElement),
  authHelp: byId('auth-help', HTMLElement),
  speak: byId('speak', HTMLButtonElement),
  stop: byId('stop', HTMLButtonElement),
  download: byId('download', HTMLButtonElement),
  notice: byId('notice', HTMLElement),
  wave: byId('wave', HTMLCanvasElement),
  progress: byId('progress', HTMLElement),
  state: byId('state', HTMLElement),
  server: byId('server-status', HTMLElement),
};

const TOKEN_KEY = 'edge-tts-demo-token';
const params = new URLSearchParams(location.search);
const demo: DemoHandle = (window.ttsDemo = { client: null, player: new AudioPlayer(), last: null, serverStates: [], recording: null });
const words = new WordTrack(byId('words', HTMLElement));
let voices: DemoVoice[] = [];
let aliases: DemoVoice[] = [];
let current: SpeakAndPlay | null = null;
let clientToken: string | null = null;

// --- notices and the server pill -------------------------------------------------------------------------------

type NoticeKind = 'info' | 'warn' | 'error';
let noticeTopic: string | null = null;

/** One notice at a time under the buttons; `topic` lets a later state clear only its own notice. */
function notice(topic: string, kind: NoticeKind, title: string, text: string): void {
  const b = document.createElement('b');
  b.textContent = title;
  const p = document.createElement('p');
  p.append(b, ' ', text);
  el.notice.replaceChildren(p);
  el.notice.className = `notice${kind === 'info' ? '' : ` ${kind}`}`;
  el.notice.dataset.topic = topic;
  el.notice.hidden = false;
  noticeTopic = topic;
}

function clearNotice(topic?: string): void {
  if (topic !== undefined && noticeTopic !== topic) return;
  el.notice.hidden = true;
  noticeTopic = null;
}

function serverState(state: ServerState, text: string): void {
  el.server.dataset.state = state;
  el.server.textContent = text;
  demo.serverStates.push(state);
}

const FRESH_INSTANCE =
  'This server instance has just started, so it is loading the speech model into memory. That takes a few seconds, ' +
  'once per instance; requests after it start at once.';

async function warmUp(): Promise<void> {
  serverState('checking', 'Checking the server…');
  const r = await checkServer({
    fetch: (url) => fetch(url),
    onStarting: () => {
      serverState('starting', 'Starting the model…');
      notice('fresh', 'info', 'Starting the model on a fresh instance…', FRESH_INSTANCE);
    },
  });
  if (r.state === 'error') {
    serverState('error', 'Server unavailable');
    notice('server', 'error', 'The server is not ready.', r.detail ?? '');
    return;
  }
  clearNotice('fresh');
  serverState('ready', r.cold ? `Model ready · started in ${(r.waitedMs / 1000).toFixed(1)} s` : 'Model ready');
}

// --- token and voices ------------------------------------------------------------------------------------------

function initToken(): void {
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Out of the address bar (and so out of history and screenshots) once it is kept for this tab.
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : ''));
  }
  el.token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function needToken(message: string): void {
  el.authHelp.hidden = false;
  notice('auth', 'warn', el.token.value ? 'The token was refused.' : 'This server needs an access token.', `${message}. See "Access token" for how to get one.`);
}

async function loadVoices(): Promise<void> {
  el.speak.disabled = true;
  const r = await fetchVoices((url, init) => fetch(url, init), el.token.value.trim());
  if (!r.ok) {
    voices = [];
    fillVoices();
    if (r.status === 401 || r.status === 403) needToken(`The server answered ${r.status} (${r.message})`);
    else notice('voices', 'error', 'Could not list the voices.', `${r.code}: ${r.message}`);
    return;
  }
  el.authHelp.hidden = true;
  clearNotice('auth');
  clearNotice('voices');
  voices = r.voices;
  aliases = r.aliases;
  fillVoices();
  el.speak.disabled = voices.length === 0;
  if (voices.length === 0) notice('voices', 'error', 'This server lists no voices.', 'Seed them with `node scripts/seed-kv.mjs` or add one with PUT /v1/voices/:id.');
}

const label = (v: DemoVoice) => (v.language ? `${v.name} (${v.language})` : v.name);

function fillVoices(): void {
  const keep = el.voice.value;
  const options: HTMLElement[] = voices.map((v) => new Option(label(v), v.id));
  if (voices.length === 0) options.push(new Option('No voices (see the notice)', ''));
  if (aliases.length > 0) {
    const group = document.createElement('optgroup');
    group.label = 'Alias names';
    group.append(...aliases.map((a) => new Option(`${a.id} → ${a.aliasOf}`, a.id)));
    options.push(group);
  }
  el.voice.replaceChildren(...options);
  if ([...voices, ...aliases].some((v) => v.id === keep)) el.voice.value = keep;
  fillBlend();
}

/** The second picker offers every other voice; with one voice there is nothing to blend, and the page says why. */
function fillBlend(): void {
  const keep = el.voiceB.value;
  const others = voices.filter((v) => v.id !== el.voice.value && v.id !== aliasTarget(el.voice.value));
  el.voiceB.replaceChildren(new Option('No blend', ''), ...others.map((v) => new Option(label(v), v.id)));
  if (others.some((v) => v.id === keep)) el.voiceB.value = keep;
  el.voiceB.disabled = others.length === 0;
  el.blendNote.hidden = voices.length !== 1;
  el.blendNote.textContent =
    'This server has one voice, so there is nothing to blend it with yet. A blend mixes two voices\' speaker ' +
    'embeddings by weight; voices added with PUT /v1/voices/:id appear here.';
  showBlend();
}

function aliasTarget(id: string): string | null {
  return aliases.find((a) => a.id === id)?.aliasOf ?? null;
}

function voiceSpec(): string {
  const b = el.voiceB.value || null;
  // An alias alone is sent as chosen; in a blend, by the voice it names.
  const a = b ? (aliasTarget(el.voice.value) ?? el.voice.value) : el.voice.value;
  return blendSpec(a, b, Number(el.blend.value));
}

function showBlend(): void {
  const b = el.voiceB.value;
  el.blend.disabled = !b;
  const pa = Number(el.blend.value);
  const name = (id: string) => [...voices, ...aliases].find((v) => v.id === id)?.name ?? id;
  el.blendWeights.hidden = !b;
  el.weightA.textContent = `${name(el.voice.value)} ${pa}%`;
  el.weightB.textContent = `${name(b)} ${100 - pa}%`;
  el.blendSpec.textContent = el.voice.value ? voiceSpec() : '–';
}

function sampleRateOf(id: string): number | undefined {
  const rate = [...voices, ...aliases].find((v) => v.id === id)?.sampleRate;
  return rate && rate > 0 ? rate : undefined;
}

// --- speaking ----------------------------------------------------------------------------------------------------

function client(): TtsClient {
  const token = el.token.value.trim();
  if (!demo.client || clientToken !== token) {
    demo.client?.close();
    // ?decoder=wasm uses the WASM Opus decoder that browsers without WebCodecs Opus get (the browser test uses it).
    demo.client = new TtsClient({ token: token || undefined, forceWasmOpus: params.get('decoder') === 'wasm' });
    clientToken = token;
  }
  return demo.client;
}

// At most one render per RENDER_EVERY_MS: stats arrive per audio quantum, and the main thread also carries the
// socket and the Opus decoder's output, which playback waits on.
const RENDER_EVERY_MS = 50;
let renderPending = false;
let lastRender = 0;
function render(): void {
  renderPending = false;
  lastRender = performance.now();
  const s = current?.stats ?? null;
  const rec = demo.recording;
  const ended = s !== null && (s.state === 'done' || s.state === 'error');
  const playedMs = s?.playedMs ?? 0;
  const audioMs = s?.serverDone?.audioMs ?? s?.audioMs ?? 0;
  el.progress.textContent = `${(playedMs / 1000).toFixed(1)} s / ${(audioMs / 1000).toFixed(1)} s`;
  el.state.textContent = !s ? 'idle' : s.stopped ? 'stopped' : s.state === 'connecting' ? 'waiting for the first audio…' : s.state;
  words.update(playedMs, !ended ? 'playing' : !s.stopped && s.state === 'done' ? 'done' : 'ended');
  drawLevels(el.wave, rec?.levels ?? [], playedMs, audioMs);
  renderFigures(s);
}
function scheduleRender(): void {
  if (renderPending) return;
  renderPending = true;
  const wait = Math.max(0, lastRender + RENDER_EVERY_MS - performance.now());
  setTimeout(() => requestAnimationFrame(render), wait);
}

function speak(): void {
  current?.stop();
  clearNotice();
  words.reset();
  const format = el.format.value as TtsFormat;
  const voice = el.voice.value;
  let rec: Recording | null = null;
  demo.recording = null;
  el.download.disabled = true;
  const run = speakAndPlay(client(), demo.player, {
    text: el.text.value,
    voice: voiceSpec(),
    format,
    speed: Number(el.speed.value),
    bitrate: format === 'opus' ? Number(el.bitrate.value) : undefined,
    expectedSampleRate: format === 'opus' ? 48000 : sampleRateOf(voice),
    onAudio(samples, sampleRate) {
      // Called before the player takes the samples' buffer: the recording keeps its own copy.
      rec ??= new Recording(sampleRate);
      rec.append(samples);
      if (current === run) demo.recording = rec;
    },
    onWords(w) {
      if (current === run) words.add(w);
    },
    onStats: () => {
      if (current === run) scheduleRender();
    },
  });
  current = run;
  demo.last = run.stats;
  el.stop.disabled = false;
  // The WebSocket may reach an instance that has not loaded the model yet, even when the page's check was warm.
  setTimeout(() => {
    if (current === run && run.stats.state === 'connecting') notice('fresh', 'info', 'Waiting for the first audio…', FRESH_INSTANCE);
  }, 1200);
  void run.finished.then((s) => {
    if (current !== run) return;
    clearNotice('fresh');
    el.stop.disabled = true;
    el.download.disabled = !rec || rec.samples === 0;
    if (s.error) {
      if (s.error.code === 'unauthorized' || s.error.code === 'http_401') needToken(s.error.message);
      else notice('speak', 'error', `Could not speak (${s.error.code}).`, s.error.message);
    }
    render();
  });
  scheduleRender();
}

function stop(): void {
  current?.stop();
  el.stop.disabled = true;
}

function download(): void {
  const rec = demo.recording;
  if (!rec) return;
  const url = URL.createObjectURL(new Blob([rec.wav() as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `speech-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.wav`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// --- wiring --------------------------------------------------------------------------------------------------------

function showFormat(): void {
  el.bitrateField.hidden = el.format.value !== 'opus';
}
function showSpeed(): void {
  el.speedValue.textContent = `${Number(el.speed.value).toFixed(2)}×`;
}
function showChars(): void {
  el.chars.textContent = `${el.text.value.length} characters`;
}

el.speak.addEventListener('click', speak);
el.stop.addEventListener('click', stop);
el.download.addEventListener('click', download);
el.format.addEventListener('change', showFormat);
el.speed.addEventListener('input', showSpeed);
el.text.addEventListener('input', showChars);
el.text.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !el.speak.disabled) speak();
});
el.voice.addEventListener('change', fillBlend);
el.voiceB.addEventListener('change', showBlend);
el.blend.addEventListener('input', showBlend);
el.token.addEventListener('change', () => {
  const t = el.token.value.trim();
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
  void loadVoices();
});
window.addEventListener('resize', scheduleRender);

initToken();
showFormat();
showSpeed();
showChars();
render();
void warmUp();
void loadVoices();
