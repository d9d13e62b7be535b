import { describe, expect, it } from 'vitest';
import { OPENAI_VOICE_NAMES, parseVoiceAliases } from './aliases';

describe('parseVoiceAliases', () => {
  it('maps every OpenAI voice name to joe when the variable is not set', () => {
    const a = parseVoiceAliases(undefined);
    expect([...a.keys()]).toEqual([...OPENAI_VOICE_NAMES]);
    expect(new Set(a.values())).toEqual(new Set(['joe']));
  });

  it('reads name=voice pairs, tolerating spaces and empty items; empty means none', () => {
    expect([...parseVoiceAliases(' alloy = joe, nova=amy ,,').entries()]).toEqual([
      ['alloy', 'joe'],
      ['nova', 'amy'],
    ]);
    expect(parseVoiceAliases('').size).toBe(0);
  });

  it.each(['alloy', 'alloy=', '=joe', 'a=b=c', 'al loy=joe', 'x=joe:0.5'])('refuses %j', (spec) => {
    expect(() => parseVoiceAliases(spec)).toThrow(/VOICE_ALIASES/);
  });
});
