/**
 * @module
 * HTTP surface: routes, WebSocket upgrade, auth. The only folder that touches `env` and `WebSocketPair`.
 */
export { createApp } from './routes';
export { startModels } from './runtime';
