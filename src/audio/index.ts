/**
 * @module
 * Audio: inverse STFT of the vocoder's spectra, PCM16 encoding, resampling and WAV framing. Pure.
 */
export { Fft, RealInverseFft } from './fft';
export { Istft } from './istft';
export type { AudioIstftOptions, AudioSpectra } from './istft';
export { floatToPcm16, resampledLength, StreamResampler, wavHeader } from './pcm';
