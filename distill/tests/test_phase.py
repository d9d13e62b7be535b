"""The Python reference of the Worker's phase rebuild (src/audio/phase.ts) on a signal with a known answer."""
import numpy as np

from distill import phase
from distill.config import HOP, N_FFT, SAMPLE_RATE
from distill.stream import overlap_add, window


def stft(x: np.ndarray, frames: int) -> np.ndarray:
    xp = np.pad(x, (N_FFT // 2, N_FFT // 2 + frames * HOP))
    return np.fft.rfft(np.stack([xp[t * HOP:t * HOP + N_FFT] * window() for t in range(frames)]), axis=1).T


def test_rebuilt_phase_makes_frames_agree_where_scrambled_phase_does_not():
    frames = 60
    t = np.arange(frames * HOP) / SAMPLE_RATE
    f0 = 120 + 20 * np.sin(2 * np.pi * 2 * t)
    x = sum(0.3 / h * np.sin(h * np.cumsum(2 * np.pi * f0 / SAMPLE_RATE)) for h in range(1, 10))
    spec = stft(x, frames)
    mag = np.abs(spec)
    rng = np.random.default_rng(0)
    scrambled = mag * np.exp(1j * rng.uniform(-np.pi, np.pi, mag.shape))

    def inconsistency(re, im):
        y = overlap_add(re, im, 0, frames, 0, frames * HOP)
        again = np.abs(stft(y, frames))
        return 20 * np.log10(np.linalg.norm(again - mag) / np.linalg.norm(mag))

    assert inconsistency(scrambled.real, scrambled.imag) > -6
    re, im = phase.rebuild(scrambled.real, scrambled.imag, beta=1.0)  # the phase alone, magnitudes not sharpened
    assert np.allclose(np.hypot(re, im), mag, rtol=1e-6, atol=1e-9)  # magnitudes kept
    assert inconsistency(re, im) < -15


def test_sharpen_scales_each_frames_fine_structure_around_its_local_mean():
    rng = np.random.default_rng(1)
    log = rng.normal(size=(40, 3))
    out = phase.sharpen(log, width=11, beta=1.25)
    for t in range(3):
        for b in range(40):
            mean = np.mean([log[min(39, max(0, i)), t] for i in range(b - 5, b + 6)])  # edge bins repeated
            assert np.isclose(out[b, t], mean + 1.25 * (log[b, t] - mean))
