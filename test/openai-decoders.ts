/**
 * Reference decoders for the workers tests, run in Node (vitest.config.ts binds this as the `DECODERS` service):
 * mpg123 and the reference FLAC decoder ship their wasm as bytes compiled at run time, which workerd forbids, so the
 * test in workerd posts the body here. `POST /mp3` or `/flac` with the file; answers the mono samples as float32 LE
 * with `X-Sample-Rate` and `X-Errors` (the decoder's error count).
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';

interface Decoded {
  channelData: Float32Array[];
  sampleRate: number;
  errors: unknown[];
}

async function decode(kind: string, bytes: Uint8Array): Promise<Decoded> {
  if (kind === 'mp3') {
    const d = new MPEGDecoder();
    await d.ready;
    try {
      return d.decode(bytes);
    } finally {
      d.free();
    }
  }
  if (kind === 'flac') {
    const d = new FLACDecoder();
    await d.ready;
    try {
      return await d.decodeFile(bytes);
    } finally {
      d.free();
    }
  }
  throw new Error(`no decoder for ${kind}`);
}

export async function decoderService(request: Request): Promise<Response> {
  const kind = new URL(request.url).pathname.slice(1);
  try {
    const out = await decode(kind, new Uint8Array(await request.arrayBuffer()));
    const mono = out.channelData[0] ?? new Float32Array(0);
    return new Response(mono.slice().buffer, { headers: { 'X-Sample-Rate': String(out.sampleRate), 'X-Errors': String(out.errors.length) } });
  } catch (err) {
    return new Response(String(err), { status: 500 });
  }
}
