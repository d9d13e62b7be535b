/**
 * @module
 * Edge TTS worker: the Hono app (default export = wrangler main).
 */
import { Hono } from 'hono';

const app = new Hono<{ Bindings: Env }>();

app.get('/healthz', (c) => c.json({ ok: true }));

export default app;
