// Mints a signed token for the worker and prints it on stdout, and nothing else, so `TOKEN=$(npm run -s token)` works
// (`-s` keeps npm's own banner out of stdout). See `npm run -s token -- --help`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDevVar } from './lib/dev-vars.mjs';
import { mintToken } from './lib/mint-token.mjs';

/**
 * The longest lifetime the worker accepts: $MAX_TOKEN_LIFETIME_SECONDS, else the var in wrangler.toml, else the
 * worker's default (24 h). A longer --ttl would mint a token the worker refuses.
 */
function maxLifetimeSeconds() {
  const config = join(dirname(fileURLToPath(import.meta.url)), '..', 'wrangler.toml');
  const fromToml = existsSync(config) ? /^MAX_TOKEN_LIFETIME_SECONDS\s*=\s*"(\d+)"/m.exec(readFileSync(config, 'utf8'))?.[1] : undefined;
  const n = Number(process.env.MAX_TOKEN_LIFETIME_SECONDS || fromToml || 86400);
  return Number.isInteger(n) && n > 0 ? n : 86400;
}
const maxTtl = maxLifetimeSeconds();

const help = `Mints a token for the edge-tts worker and prints only the token.

usage: npm run -s token [-- options]

  --sub <id>         subject: the app or user the token is for; limits are kept per subject
                     (letters, digits and _ . : @ -, at most 128; default "dev")
  --ttl <seconds>    lifetime, 1 to ${maxTtl} (MAX_TOKEN_LIFETIME_SECONDS of wrangler.toml); default 3600
  --scope <scope>    extra scope, repeatable or comma-separated; "voices:write" allows PUT/DELETE /v1/voices/:id
  --secret <secret>  the signing secret (visible to other local users in the process list; prefer AUTH_SECRET)
  -h, --help         this text

The secret is the first of: --secret, $AUTH_SECRET, AUTH_SECRET in .dev.vars (written by npm start).
For a deployed worker, use the value you gave \`wrangler secret put AUTH_SECRET\`:
  AUTH_SECRET="$(cat prod-secret.txt)" npm run -s token -- --sub my-app --ttl 600
`;

/** @param {string} message */
function fail(message) {
  console.error(`token: ${message}\n(npm run -s token -- --help)`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'dev' },
      ttl: { type: 'string', default: '3600' },
      scope: { type: 'string', multiple: true, default: [] },
      scopes: { type: 'string', multiple: true, default: [] },
      secret: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}

const secret = values.secret ?? (process.env.AUTH_SECRET || undefined) ?? readDevVar('AUTH_SECRET');
if (!secret) fail('no secret: set AUTH_SECRET in the environment, or run `npm start` once to create .dev.vars with one');
if (!/^[A-Za-z0-9_.:@-]{1,128}$/.test(values.sub)) fail('--sub must be 1 to 128 of letters, digits and _ . : @ -');
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0 || ttl > maxTtl) {
  fail(`--ttl must be a whole number of seconds, 1 to ${maxTtl} (the worker's MAX_TOKEN_LIFETIME_SECONDS)`);
}
// A placeholder pasted from an example (AUTH_SECRET=...) signs tokens the worker will refuse: say so, on stderr.
if (secret.length < 16) console.error(`token: warning: the secret is only ${secret.length} characters; is it the one the worker has?`);
const scopes = [...values.scope, ...values.scopes].flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
for (const s of scopes) {
  if (!/^[a-z]+:[a-z]+$/.test(s)) fail(`scope "${s}" must look like voices:write`);
}

process.stdout.write(`${mintToken(secret, { sub: values.sub, ttlSeconds: ttl, scopes: [...new Set(scopes)] })}\n`);
