/** Limits and auth read from env (vars / secrets); the only place besides the routes that reads `env`. */
import type { StreamSessionLimits } from '../stream';

function intVar(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function limitsFrom(env: Env): StreamSessionLimits {
  const vars = env as unknown as Record<string, string | undefined>;
  return {
    maxTextChars: intVar(vars.MAX_TEXT_CHARS, 5000),
    maxQueued: intVar(vars.MAX_QUEUED, 16),
    requestsPerMinute: intVar(vars.REQUESTS_PER_MINUTE, 120),
  };
}

/** The configured token, or undefined when auth is off (local development). */
export function authTokenFrom(env: Env): string | undefined {
  const token = (env as unknown as Record<string, unknown>).AUTH_TOKEN;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
