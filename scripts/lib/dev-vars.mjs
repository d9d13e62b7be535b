// `.dev.vars`: the local secrets `wrangler dev` reads (dotenv format, next to wrangler.toml, gitignored).
// One reader and one writer for the scripts that need AUTH_SECRET locally (npm start, npm run token, the load test).
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `.dev.vars`. */
export const devVarsFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.dev.vars');

/**
 * The value of `name` in dotenv text: `NAME=value`, `NAME="value"` or `NAME='value'`, optionally after `export`;
 * `#` starts a comment outside quotes. The last assignment wins, as in dotenv. Empty values count as missing.
 * @param {string} text
 * @param {string} name
 * @returns {string | undefined}
 */
export function parseDevVar(text, name) {
  let value;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const raw = m[2];
    const quoted = /^(["'])(.*)\1\s*(?:#.*)?$/.exec(raw);
    value = quoted ? quoted[2] : raw.replace(/\s+#.*$/, '').trim();
  }
  return value === '' ? undefined : value;
}

/**
 * @param {string} name
 * @param {string} [file]
 * @returns {string | undefined}
 */
export function readDevVar(name, file = devVarsFile) {
  return existsSync(file) ? parseDevVar(readFileSync(file, 'utf8'), name) : undefined;
}

/**
 * Makes sure `file` assigns AUTH_SECRET: keeps an existing one, otherwise adds a random 256-bit secret (creating the
 * file, or appending to it so other entries stay as they are).
 * @param {string} [file]
 * @returns {{ created: boolean, secret: string }}
 */
export function ensureAuthSecret(file = devVarsFile) {
  const existing = readDevVar('AUTH_SECRET', file);
  if (existing) return { created: false, secret: existing };
  const secret = randomBytes(32).toString('base64url');
  const line = `# Signs local tokens (npm run -s token). Written by npm start; the deployed secret is set with wrangler secret put.\nAUTH_SECRET=${secret}\n`;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    appendFileSync(file, (text === '' || text.endsWith('\n') ? '' : '\n') + line);
  } else {
    writeFileSync(file, line, { mode: 0o600 });
  }
  return { created: true, secret };
}
