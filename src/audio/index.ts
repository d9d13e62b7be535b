/**
 * @module
 * Audio: inverse STFT of the vocoder's spectra, phase rebuilt from their magnitudes, PCM16 encoding, resampling and WAV framing. Pure.
 */
export { Fft, RealInverseFft } from './fft';
export { Istft } from './istft';
export type { AudioIstftOptions, AudioSpectra } from './istft';
export { PhaseFromMagnitude } from './phase';
export type { AudioMagnitudes, PhaseOptions } from './phase';
export { floatToPcm16, resampledLength, StreamResampler, wavHeader } from './pcm';
