// Seeds the bundled voices (models-int8/voices/<id>.bin + <id>.json) into the local KV namespace VOICES that
// `wrangler dev` uses, so local runs read voices the way production does. Safe to run repeatedly.
// Usage: node scripts/seed-kv.mjs [--persist-to <dir>]   (the state dir of a `wrangler dev --persist-to <dir>`)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'models-int8', 'voices');
if (!existsSync(dir)) {
  console.log('seed-kv: no models-int8/voices yet; the worker will use its bundled voices');
  process.exit(0);
}
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const at = process.argv.indexOf('--persist-to');
const persist = at > 0 && process.argv[at + 1] ? ['--persist-to', process.argv[at + 1]] : [];
let n = 0;
for (const file of readdirSync(dir).sort()) {
  if (!file.endsWith('.bin') && !file.endsWith('.json')) continue;
  execFileSync(wrangler, ['kv', 'key', 'put', '--local', ...persist, '--binding', 'VOICES', `voices/${file}`, '--path', join(dir, file)], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  n++;
}
console.log(`seed-kv: wrote ${n} voice files into local KV (binding VOICES${persist.length ? ` under ${persist[1]}` : ''})`);
