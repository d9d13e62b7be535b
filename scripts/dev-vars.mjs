// Run by `npm start` before `wrangler dev`: the worker refuses to serve without AUTH_SECRET, so a fresh clone gets a
// random one in .dev.vars. An existing AUTH_SECRET is never replaced (tokens minted with it keep working).
import { ensureAuthSecret } from './lib/dev-vars.mjs';

const { created } = ensureAuthSecret();
console.log(
  created
    ? 'dev-vars: wrote a random AUTH_SECRET to .dev.vars; get a token with: TOKEN=$(npm run -s token)'
    : 'dev-vars: using AUTH_SECRET from .dev.vars; get a token with: TOKEN=$(npm run -s token)',
);
