/**
 * GET /v1/voices for the pickers: `voices` (ours) and `aliases` (other names accepted for `voice`, e.g. OpenAI's,
 * each `{ id, voice }` naming the voice it stands for). Pure.
 */

export interface DemoVoice {
  id: string;
  name: string;
  language: string;
  sampleRate: number;
  /** The voice this name stands for, when the entry is an alias. */
  aliasOf: string | null;
}

export type VoiceList = { ok: true; voices: DemoVoice[]; aliases: DemoVoice[] } | { ok: false; status: number; code: string; message: string };

/** Reads the voice list; a refusal keeps its status and the server's error code and message. */
export async function fetchVoices(fetchFn: (url: string, init: RequestInit) => Promise<Response>, token: string): Promise<VoiceList> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let res: Response;
  try {
    res = await fetchFn('/v1/voices', { headers });
  } catch (e) {
    return { ok: false, status: 0, code: 'network', message: e instanceof Error ? e.message : String(e) };
  }
  const body = (await res.json().catch(() => null)) as { voices?: unknown; aliases?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  if (!res.ok) {
    const code = typeof body?.error?.code === 'string' ? body.error.code : `http_${res.status}`;
    const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`;
    return { ok: false, status: res.status, code, message };
  }
  const voices = (Array.isArray(body?.voices) ? body.voices : []).map(toVoice).filter((v): v is DemoVoice => v !== null);
  const aliases = (Array.isArray(body?.aliases) ? body.aliases : [])
    .map((a) => toAlias(a, voices))
    .filter((v): v is DemoVoice => v !== null);
  return { ok: true, voices, aliases };
}

/** An alias of a listed voice, with that voice's language and rate; aliases of voices not listed are left out. */
function toAlias(raw: unknown, voices: readonly DemoVoice[]): DemoVoice | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const target = voices.find((v) => v.id === r.voice);
  if (typeof r.id !== 'string' || r.id === '' || !target) return null;
  return { id: r.id, name: r.id, language: target.language, sampleRate: target.sampleRate, aliasOf: target.id };
}

function toVoice(raw: unknown): DemoVoice | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return null;
  return {
    id: r.id,
    name: typeof r.name === 'string' && r.name !== '' ? r.name : r.id,
    language: typeof r.language === 'string' ? r.language : '',
    sampleRate: typeof r.sampleRate === 'number' ? r.sampleRate : 0,
    aliasOf: null,
  };
}
