import type { ClauseMark, NormToken } from "./types";

/** Stub: words are letter/digit runs; marks are clause punctuation. Deepened later. */
export function normalizeText(text: string): NormToken[] {
  const out: NormToken[] = [];
  const re = /([\p{L}\p{N}']+)|([,;:.?!\u2013\u2014])/gu;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (m[1]) out.push({ kind: "word", text: m[1], start, end });
    else out.push({ kind: "mark", mark: toMark(m[2]!), start, end });
  }
  return out;
}

function toMark(ch: string): ClauseMark {
  if (ch === "." || ch === "?" || ch === "!") return ch;
  return ",";
}
