import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { haveModels } from './helpers';

describe('GET /healthz', () => {
  it.runIf(haveModels)('answers 200 with model ids once the models load', async () => {
    const res = await exports.default.fetch('http://x/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, model: { sampleRate: 22050 } });
    expect(typeof body.loadMs).toBe('number');
  });

  it.runIf(!haveModels)('answers 503 when the worker was built without models', async () => {
    const res = await exports.default.fetch('http://x/healthz');
    expect(res.status).toBe(503);
  });
});
