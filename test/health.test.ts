import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { modelSource } from './helpers';

describe('GET /healthz', () => {
  it('the worker under test is built from the real int8 export', () => {
    expect(modelSource).toBe('models-int8');
  });

  it('answers 200 with model ids once the models load', async () => {
    const res = await exports.default.fetch('http://x/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, source: 'models-int8', model: { sampleRate: 22050, acoustic: 'acoustic.int8.onnx', vocoder: 'vocoder.int8.onnx' } });
    expect(typeof body.loadMs).toBe('number');
  });

  it('reports the ORT wasm memory, which holds at least the model bytes', async () => {
    const body = (await (await exports.default.fetch('http://x/healthz')).json()) as { memory: { wasmBytes: number; modelBytes: number } };
    expect(body.memory.modelBytes).toBeGreaterThan(1e6);
    expect(body.memory.wasmBytes).toBeGreaterThan(body.memory.modelBytes);
    expect(body.memory.wasmBytes).toBeLessThan(128e6);
  });
});
