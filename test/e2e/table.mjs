// The network figures: one table row per shaped run, and the verdict the issue asks for (Opus plays without
// underruns where PCM16 cannot keep up).

const COLUMNS = [
  ['link', (r) => r.link],
  ['format', (r) => r.format],
  ['first sound ms', (r) => r.firstSoundMs],
  ['underruns', (r) => r.underruns],
  ['underrun ms', (r) => r.underrunMs],
  ['kbit/s', (r) => r.kbps],
  ['bytes', (r) => r.bytes],
  ['link bytes', (r) => r.linkBytes],
  ['wire kbit/s', (r) => Math.round((r.linkBytes * 8) / r.audioMs)],
  ['audio ms', (r) => r.audioMs],
  ['wall ms', (r) => r.wallMs],
];

/** Prints rows as a Markdown table (pasteable into the README). */
export function printTable(rows) {
  const cells = rows.map((r) => COLUMNS.map(([, get]) => String(get(r))));
  const widths = COLUMNS.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((s, i) => s.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(COLUMNS.map(([h]) => h)));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  console.log('kbit/s: the client\'s received bitrate; bytes: binary bytes the page received (with framing); link bytes: ' +
    'all bytes the shaper carried down during the run (WebSocket framing after permessage-deflate, JSON included); ' +
    'wire kbit/s: link bytes per second of audio, the rate the link must sustain to play in real time');
}

/**
 * Throws unless Opus had no underruns on every link and PCM16 had underruns on every run of the slow link.
 * Runs on the faster link are reported, not judged, for PCM16: whether it survives there is what the table shows.
 */
export function judgeNetwork(rows) {
  const problems = [];
  for (const r of rows) {
    if (r.format === 'opus' && r.underruns !== 0) problems.push(`opus on ${r.link}: ${r.underruns} underruns, expected 0`);
    if (r.format === 'pcm16' && r.slow && !(r.underruns > 0)) {
      problems.push(`pcm16 on ${r.link}: ${r.underruns} underruns, expected > 0 (PCM16 needs ~353 kbit/s)`);
    }
  }
  if (problems.length > 0) {
    const err = new Error(problems.join('; '));
    err.stats = rows.map(({ stats, ...row }) => ({ ...row, state: stats.state, playedMs: stats.playedMs }));
    throw err;
  }
}
