/**
 * `GET /client/:file`: the browser client module built by scripts/build-client.mjs (tts-client.js, tts-worklet.js,
 * opus-fallback.js). Public like `/`, and readable from any origin, so apps elsewhere can `import` it.
 */
import type { Context } from 'hono';
import { clientAssets } from '../../vendor/client/assets';

const HEADERS = {
  // utf-8 matters: opus-fallback.js embeds its wasm as non-ASCII text.
  'Content-Type': 'text/javascript; charset=utf-8',
  // Short: the files change with each deploy and are not content-hashed.
  'Cache-Control': 'public, max-age=300',
  'Access-Control-Allow-Origin': '*',
  'X-Content-Type-Options': 'nosniff',
};

export function handleClientAsset(c: Context): Response {
  const name = c.req.param('file') ?? '';
  const body = Object.hasOwn(clientAssets, name) ? clientAssets[name] : undefined;
  if (body === undefined) {
    return c.json({ error: { message: `no client file ${JSON.stringify(name)}; files: ${Object.keys(clientAssets).join(', ')}`, code: 'not_found' } }, 404, {
      'Access-Control-Allow-Origin': '*',
    });
  }
  return new Response(c.req.method === 'HEAD' ? null : body, { headers: HEADERS });
}
