/**
 * @module
 * Edge TTS worker: the Hono app (default export = wrangler main).
 */
import { createApp } from './http';

export default createApp();
