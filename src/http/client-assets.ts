/**
 * `GET /client/:file`: the browser client module built by scripts/build-client.mjs (tts-client.js, tts-worklet.js,
 * opus-fallback.js) and the demo page's script and styles (demo.js, demo.css). Public like `/`, and readable from
 * any origin, so apps elsewhere can `import` the module.
 */
import type { Context } from 'hono';
import { clientAssets } from '../../vendor/client/assets';
import { SCRIPT_SECURITY_HEADERS } from './security-headers';

const TYPES: Record<string, string> = {
  // utf-8 matters: opus-fallback.js embeds its wasm as non-ASCII text.
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

const CORS = { 'Access-Control-Allow-Origin': '*' };

export function handleClientAsset(c: Context): Response {
  const name = c.req.param('file') ?? '';
  const body = Object.hasOwn(clientAssets, name) ? clientAssets[name] : undefined;
  const type = TYPES[name.slice(name.lastIndexOf('.') + 1)];
  if (body === undefined || type === undefined) {
    const files = Object.keys(clientAssets).join(', ');
    return c.json({ error: { message: `no client file ${JSON.stringify(name.slice(0, 64))}; files: ${files}`, code: 'not_found' } }, 404, { ...CORS, ...SCRIPT_SECURITY_HEADERS });
  }
  return new Response(c.req.method === 'HEAD' ? null : body, {
    headers: {
      'Content-Type': type,
      // Short: the files change with each deploy and are not content-hashed.
      'Cache-Control': 'public, max-age=300',
      ...CORS,
      ...SCRIPT_SECURITY_HEADERS,
    },
  });
}
