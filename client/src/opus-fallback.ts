/**
 * The WASM Opus decoder (npm `opus-decoder`, MIT, libopus), built as its own file (`opus-fallback.js`) and fetched
 * only by browsers without WebCodecs Opus, so the others never download its ~88 KB.
 */
import { OpusDecoder } from 'opus-decoder';

export interface OpusWasmDecoder {
  /** Decodes one Opus packet to 48 kHz mono samples (a copy the caller owns). */
  decode(packet: Uint8Array): Float32Array;
  free(): void;
}

export async function createOpusWasmDecoder(): Promise<OpusWasmDecoder> {
  // preSkip stays 0 here: the client drops the pre-skip itself, the same way for both decoders.
  const decoder = new OpusDecoder({ sampleRate: 48000, channels: 1 });
  await decoder.ready;
  return {
    decode(packet) {
      const r = decoder.decodeFrame(packet);
      const first = r.errors[0];
      if (first) throw new Error(`opus-decoder: ${first.message}`);
      // Copied: the result may view the decoder's memory, and the samples are transferred to the audio thread.
      return (r.channelData[0] ?? new Float32Array(0)).slice(0, r.samplesDecoded);
    },
    free: () => decoder.free(),
  };
}
