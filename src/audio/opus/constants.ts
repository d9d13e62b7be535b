/** Fixed parameters of the service's Opus streams (docs/protocol.md). */

/** Every packet is one 20 ms frame. */
export const OPUS_FRAME_MS = 20;
/** The encoder's input rate: the model's 22050 Hz audio is resampled to 24 kHz first (an Opus-native rate). */
export const OPUS_INPUT_RATE = 24000;
/** The rate decoders conventionally run at; pre-skip and Ogg granule positions count 48 kHz samples. */
export const OPUS_DECODE_RATE = 48000;
/** Bits per second a request may ask for (voice mode). */
export const OPUS_BITRATES = { min: 16000, max: 32000, default: 24000 } as const;
/** Samples per packet at the input rate (480). */
export const OPUS_FRAME_SAMPLES = (OPUS_INPUT_RATE * OPUS_FRAME_MS) / 1000;
/** Samples per packet at the decode rate (960). */
export const OPUS_FRAME_SAMPLES_48K = (OPUS_DECODE_RATE * OPUS_FRAME_MS) / 1000;
