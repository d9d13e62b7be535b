/**
 * Voice aliases: other names for this service's voices, so clients written for OpenAI's speech API can keep their
 * voice names (`alloy`, `nova`, ...). Configured as `VOICE_ALIASES="alloy=joe,nova=joe"`. Pure.
 */

/** OpenAI's built-in voice names (its API reference, 2025). */
export const OPENAI_VOICE_NAMES = ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'fable', 'marin', 'nova', 'onyx', 'sage', 'shimmer', 'verse'] as const;

/** The bundled voice the OpenAI names point at when `VOICE_ALIASES` is not set. */
export const DEFAULT_ALIAS_TARGET = 'joe';

/** Alias name to voice id. */
export type VoiceAliases = ReadonlyMap<string, string>;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Parses `name=voice` pairs separated by commas. `undefined` (the variable is not set) maps every OpenAI name to
 * DEFAULT_ALIAS_TARGET; an empty string means no aliases. Throws on a malformed pair, naming it.
 */
export function parseVoiceAliases(spec: string | undefined): VoiceAliases {
  if (spec === undefined) return new Map(OPENAI_VOICE_NAMES.map((n) => [n, DEFAULT_ALIAS_TARGET]));
  const out = new Map<string, string>();
  for (const raw of spec.split(',')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(pair);
    if (!m || !NAME.test(m[1]!) || !NAME.test(m[2]!)) throw new Error(`VOICE_ALIASES: "${pair}" is not name=voice`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}
