/** Limits and auth read from env (vars / secrets); the only place besides the routes that reads `env`. */
import type { StreamSessionLimits } from '../stream';
import { parseVoiceAliases, type VoiceAliases } from '../voices';

function intVar(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Seconds may be fractional (tests use short windows). */
function secondsVar(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function limitsFrom(env: Env): StreamSessionLimits {
  return {
    maxTextChars: intVar(env.MAX_TEXT_CHARS, 5000),
    maxQueued: intVar(env.MAX_QUEUED, 16),
    requestsPerMinute: intVar(env.REQUESTS_PER_MINUTE, 120),
    ackWindowMs: secondsVar(env.ACK_WINDOW_SECONDS, 10) * 1000,
    slowConsumerMs: secondsVar(env.SLOW_CONSUMER_SECONDS, 15) * 1000,
  };
}

/** The configured token, or undefined when auth is off (local development). */
export function authTokenFrom(env: Env): string | undefined {
  // A secret (`wrangler secret put AUTH_TOKEN`), so not in the generated Env type.
  const token = (env as Env & { AUTH_TOKEN?: unknown }).AUTH_TOKEN;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

let aliasCache: { spec: string | undefined; aliases: VoiceAliases } | undefined;

/** `VOICE_ALIASES` parsed (once per value); a malformed value is logged and the default aliases are used. */
export function voiceAliasesFrom(env: Env): VoiceAliases {
  const spec = (env as Env & { VOICE_ALIASES?: string }).VOICE_ALIASES;
  if (aliasCache && aliasCache.spec === spec) return aliasCache.aliases;
  let aliases: VoiceAliases;
  try {
    aliases = parseVoiceAliases(spec);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}; using the default aliases`);
    aliases = parseVoiceAliases(undefined);
  }
  aliasCache = { spec, aliases };
  return aliases;
}
