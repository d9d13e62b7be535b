/** The figures panel and the one-line summary under it, from a request's live stats. */
import type { SpeakAndPlayStats } from '../src/index';
import { byId } from './dom';

const fmt = (n: number | null | undefined, digits = 0): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

export function renderFigures(s: SpeakAndPlayStats | null): void {
  const set = (id: string, text: string) => (byId(id, HTMLElement).textContent = text);
  if (!s) {
    for (const id of ['first-sound', 'server-first', 'audio-len', 'bitrate-now', 'underruns', 'reconnects', 'decoder', 'rtf']) set(id, '–');
    set('stats', 'idle');
    return;
  }
  const done = s.serverDone;
  set('first-sound', s.firstSoundMs === null ? '–' : `${fmt(s.firstSoundMs)} ms`);
  set('server-first', done ? `${done.firstAudioMs} ms` : '–');
  set('audio-len', `${fmt(s.audioMs / 1000, 2)} s`);
  set('bitrate-now', s.bitrateKbps === null ? '–' : `${fmt(s.bitrateKbps, 1)} kbit/s`);
  set('underruns', s.underruns === 0 ? '0' : `${s.underruns} (${fmt(s.underrunMs)} ms)`);
  set('reconnects', String(s.reconnects));
  set('decoder', s.decoder ?? '–');
  set('rtf', done ? (done.totalMs / Math.max(1, done.audioMs)).toFixed(3) : '–');
  const parts = [
    s.stopped ? 'stopped' : s.state,
    `${s.format}${s.decoder ? ` (${s.decoder})` : ''}`,
    `${s.chunks} chunks, ${(s.bytes / 1024).toFixed(1)} KiB`,
    `played ${fmt(s.playedMs / 1000, 2)} s of ${fmt(s.audioMs / 1000, 2)} s`,
  ];
  if (s.error) parts.push(`error ${s.error.code}: ${s.error.message}`);
  set('stats', parts.join(' · '));
}
