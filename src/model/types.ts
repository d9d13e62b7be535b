/** Types at the model boundary: the manifest written by the model export and the bundle the worker imports. */

/** What scripts/gen-models.mjs imports: raw, unvalidated. */
export interface RawModelBundle {
  /** Folder the bundle came from (`models-int8` for the real export). */
  source: string;
  manifest: unknown;
  acoustic: ArrayBuffer;
  vocoder: ArrayBuffer;
  voices: { meta: unknown; embedding: ArrayBuffer }[];
}

/** models-int8/manifest.json, validated. */
export interface ModelManifest {
  version: string;
  sampleRate: number;
  hopSize: number;
  nFft: number;
  window: 'hann';
  featureDim: number;
  voiceDim: number;
  phonemes: { idMap: Record<string, number> };
  /**
   * `durationScale` multiplies every length scale the acoustic model is given: a calibration of the student's
   * timing against its teacher's (measured by `npm run bench:voice`), so speed 1 speaks at the teacher's pace.
   */
  acoustic: { file: string; durationScale: number };
  /**
   * The vocoder streams: each call takes the next frames and the state the previous call returned, and outputs the
   * magnitudes of the frames `lookaheadFrames` earlier (see src/model/vocoder-stream.ts). `stateShape` is the
   * state tensor's shape ([1, every layer's input channels together, frames kept per layer]); `layers` the number of
   * convolution layers, each lagging its input by `lookaheadFrames / layers`.
   */
  vocoder: { file: string; lookaheadFrames: number; layers: number; stateShape: readonly number[] };
  /** Set when both files were saved already optimised offline (e.g. "onnxruntime 1.20.1 extended"): loaded as they are. */
  optimized?: string;
}

/** Acoustic model output for one chunk of ids. */
export interface ModelAcousticOutput {
  /** Frames per id. */
  durations: Int32Array;
  /** `[featureDim, frames]` row-major. */
  features: Float32Array;
  frames: number;
}
