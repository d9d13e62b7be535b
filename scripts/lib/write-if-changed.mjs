// Writes a generated file only when its content differs from what is on disk. `wrangler dev` reloads the worker (and
// drops every open socket) when any file in its bundle is rewritten, even with the same bytes, so regenerating
// vendor/ (npm test, npm run gen) must leave unchanged files untouched for a running `npm start` to carry on.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * @param {string} file
 * @param {string | Uint8Array} content
 * @returns {boolean} whether the file was written
 */
export function writeIfChanged(file, content) {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  if (existsSync(file) && readFileSync(file).equals(bytes)) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return true;
}
