/** The spoken text as words (from `words` messages), highlighted as the audio that says them plays. */
import type { TtsWord } from '../src/index';

export class WordTrack {
  private items: { span: HTMLSpanElement; startMs: number; endMs: number }[] = [];

  constructor(private readonly root: HTMLElement) {}

  reset(): void {
    this.items = [];
    this.root.replaceChildren();
  }

  add(words: readonly TtsWord[]): void {
    for (const w of words) {
      const span = document.createElement('span');
      span.textContent = w.text;
      this.root.append(span, ' ');
      this.items.push({ span, startMs: w.startMs, endMs: w.endMs });
    }
  }

  /**
   * By audio actually played (so a stall holds the highlight back too): words already started are `on`, and the one
   * being said is also `now`. Once it `ended`, none is `now`; `done` (played to the end) marks every word `on`.
   */
  update(playedMs: number, state: 'playing' | 'ended' | 'done' = 'playing'): void {
    for (const w of this.items) {
      const started = w.startMs <= playedMs;
      w.span.classList.toggle('on', started || state === 'done');
      w.span.classList.toggle('now', state === 'playing' && started && playedMs < w.endMs);
    }
  }
}
