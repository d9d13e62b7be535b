import { describe, expect, it } from 'vitest';
import addModel from './fixtures/add.onnx';
import { createSession, ort } from '../src/model/ort';

// Runtime check only (a one-op Add graph): proves ORT's WASM backend loads and runs inside workerd.
describe('onnxruntime-web in workerd', () => {
  it('runs a graph', async () => {
    const session = await createSession(addModel);
    const a = new ort.Tensor('float32', new Float32Array([1, 2, 3]), [3]);
    const b = new ort.Tensor('float32', new Float32Array([10, 20, 30]), [3]);
    const out = await session.run({ a, b });
    expect(Array.from(out.c!.data as Float32Array)).toEqual([11, 22, 33]);
  });
});
