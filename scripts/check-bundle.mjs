// Sizes the deployable bundle written by `wrangler deploy --dry-run --outdir <dir>` (default dist/): raw and gzip per
// file and in total, and warns when the gzip total passes the paid Workers plan's 10 MB upload limit.
// Usage: node scripts/check-bundle.mjs [dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const LIMIT_GZIP_BYTES = 10 * 1024 * 1024;

/** Raw and gzip bytes of each deployable file (source maps excluded) in `dir`. */
export function bundleSize(dir) {
  let raw = 0;
  let gz = 0;
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile() || name.endsWith('.map') || name === 'README.md') continue;
    const buf = readFileSync(path);
    const g = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gz += g;
    files.push({ name: name.replace(/^[0-9a-f]{40}-/, ''), raw: buf.length, gz: g });
  }
  return { raw, gz, files };
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

export function formatBundle({ raw, gz, files }) {
  return [`bundle: ${mb(raw)} raw, ${mb(gz)} gzip`, ...files.map((f) => `  ${f.name}: ${mb(f.raw)} (gzip ${mb(f.gz)})`)].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = bundleSize(process.argv[2] ?? 'dist');
  console.log(formatBundle(size));
  if (size.gz > LIMIT_GZIP_BYTES) console.warn(`WARNING: gzip total ${mb(size.gz)} is over the 10 MB Workers upload limit`);
}
