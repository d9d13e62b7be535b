/**
 * The page's first call: GET /healthz, which loads the speech model if this Worker instance has not yet. A warm
 * instance answers in milliseconds; a fresh one takes seconds, and the page says why instead of looking stuck.
 */

/** A warm /healthz answers well within this; past it the page shows the "starting the model" state. */
export const SLOW_AFTER_MS = 400;

export interface ServerCheck {
  state: 'ready' | 'error';
  /** How long /healthz took, ms. */
  waitedMs: number;
  /** True when the answer took longer than `slowAfterMs` (a fresh instance loading the model). */
  cold: boolean;
  /** The model's load time as the server measured it, ms (ready only). */
  loadMs: number | null;
  /** Why it failed (error only). */
  detail: string | null;
}

export interface CheckOptions {
  fetch: (url: string) => Promise<Response>;
  /** Called once, when /healthz has not answered after `slowAfterMs`. */
  onStarting(): void;
  slowAfterMs?: number;
  now?: () => number;
}

export async function checkServer(opts: CheckOptions): Promise<ServerCheck> {
  const now = opts.now ?? (() => performance.now());
  const slowAfterMs = opts.slowAfterMs ?? SLOW_AFTER_MS;
  const t0 = now();
  let cold = false;
  const timer = setTimeout(() => {
    cold = true;
    opts.onStarting();
  }, slowAfterMs);
  const done = (state: ServerCheck['state'], loadMs: number | null, detail: string | null): ServerCheck => {
    clearTimeout(timer);
    return { state, waitedMs: now() - t0, cold, loadMs, detail };
  };
  try {
    const res = await opts.fetch('/healthz');
    const body = (await res.json().catch(() => null)) as { ok?: unknown; loadMs?: unknown; error?: unknown } | null;
    if (!res.ok || body?.ok !== true) {
      const why = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
      return done('error', null, `the server is not ready: ${why}`);
    }
    return done('ready', typeof body.loadMs === 'number' ? body.loadMs : null, null);
  } catch (e) {
    return done('error', null, `the server did not answer: ${e instanceof Error ? e.message : String(e)}`);
  }
}
