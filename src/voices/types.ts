/** Voice sidecar (`<id>.json`) and a loaded voice. */
export interface VoiceMeta {
  id: string;
  name: string;
  language: string;
  sampleRate: number;
  license: string;
  source: string;
  description: string;
}

export interface Voice {
  meta: VoiceMeta;
  /** Speaker embedding, float32 [voiceDim]. */
  embedding: Float32Array;
}

/** A voice request that cannot be served: `unknown` ids or a malformed blend (client errors), or bad stored data. */
export class VoiceError extends Error {
  constructor(
    readonly kind: 'unknown' | 'malformed' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}
