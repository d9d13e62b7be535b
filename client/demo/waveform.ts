/** The level display: one bar per level window of audio received, the played part in the accent colour. */
import { LEVEL_WINDOW_MS } from './recording';

let cached: { dark: boolean; played: string; buffered: string } | null = null;
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

/** The theme's bar colours (CSS variables), read again only when the colour scheme changes. */
function colours(): { played: string; buffered: string } {
  if (cached?.dark !== darkQuery.matches) {
    const style = getComputedStyle(document.documentElement);
    cached = {
      dark: darkQuery.matches,
      played: style.getPropertyValue('--played').trim() || '#3b5bfd',
      buffered: style.getPropertyValue('--buffered').trim() || '#b8c4fb',
    };
  }
  return cached;
}

/**
 * Draws `levels` (peaks per LEVEL_WINDOW_MS) across the canvas, scaled so `totalMs` fills it (the request's expected
 * length grows as audio arrives, so the bars spread out while it streams), with everything before `playedMs` solid.
 */
export function drawLevels(canvas: HTMLCanvasElement, levels: readonly number[], playedMs: number, totalMs: number): void {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const height = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { played, buffered } = colours();
  ctx.clearRect(0, 0, width, height);
  const bar = 3 * dpr;
  const gap = 2 * dpr;
  const bars = Math.floor(width / (bar + gap));
  const spanMs = Math.max(totalMs, levels.length * LEVEL_WINDOW_MS, 1);
  const mid = height / 2;
  // Scaled to the loudest window so far, so quiet and loud voices both fill the display.
  let loudest = 0.05;
  for (const v of levels) loudest = Math.max(loudest, v);
  for (let i = 0; i < bars; i++) {
    const fromMs = (i / bars) * spanMs;
    const toMs = ((i + 1) / bars) * spanMs;
    const a = Math.floor(fromMs / LEVEL_WINDOW_MS);
    const b = Math.min(levels.length, Math.max(a + 1, Math.ceil(toMs / LEVEL_WINDOW_MS)));
    if (a >= levels.length) break;
    let peak = 0;
    for (let k = a; k < b; k++) peak = Math.max(peak, levels[k]!);
    // A power below 1 lifts quiet syllables so they still show next to stressed ones.
    const h = Math.max(dpr, Math.pow(Math.min(1, peak / loudest), 0.8) * (height - 8 * dpr));
    ctx.fillStyle = fromMs < playedMs ? played : buffered;
    ctx.fillRect(i * (bar + gap), mid - h / 2, bar, h);
  }
}
