// Mints a signed token for the worker (see src/auth/token.ts for the format):
//   AUTH_SECRET=... npm run token -- --sub app1 --ttl 3600 [--scope voices:write]
// The secret is read from $AUTH_SECRET, or from AUTH_SECRET=... in .dev.vars (what `wrangler dev` uses). Set the
// deployed one with `wrangler secret put AUTH_SECRET`. Prints the token on stdout and nothing else.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
    scope: { type: 'string', multiple: true, default: [] },
    secret: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const usage = 'usage: npm run token -- --sub <subject> [--ttl <seconds, default 3600>] [--scope voices:write]...';
if (values.help) {
  console.log(usage);
  process.exit(0);
}

function secretFromDevVars() {
  const file = join(root, '.dev.vars');
  if (!existsSync(file)) return undefined;
  const m = /^AUTH_SECRET\s*=\s*"?([^"\n]*)"?\s*$/m.exec(readFileSync(file, 'utf8'));
  return m?.[1];
}

const secret = values.secret ?? process.env.AUTH_SECRET ?? secretFromDevVars();
if (!secret) {
  console.error('token: set AUTH_SECRET (environment or .dev.vars) to the secret the worker has');
  process.exit(2);
}
if (!values.sub || !/^[A-Za-z0-9_.:@-]{1,128}$/.test(values.sub)) {
  console.error(`token: --sub must match [A-Za-z0-9_.:@-]{1,128}\n${usage}`);
  process.exit(2);
}
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 30 * 86400) {
  console.error('token: --ttl must be a whole number of seconds, 1..2592000');
  process.exit(2);
}
for (const s of values.scope) {
  if (!/^[a-z]+:[a-z]+$/.test(s)) {
    console.error(`token: scope "${s}" must look like voices:write`);
    process.exit(2);
  }
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const payload = { sub: values.sub, exp: Math.floor(Date.now() / 1000) + ttl };
if (values.scope.length > 0) payload.scp = values.scope;
const body = `v1.${b64url(JSON.stringify(payload))}`;
const sig = createHmac('sha256', secret).update(body).digest();
console.log(`${body}.${b64url(sig)}`);
