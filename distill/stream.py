"""Reference streaming synthesis (numpy), the same algorithm the Worker runs:
vocoder on a window of frames with context, then overlap-add iSTFT.
Used by the tests and the evaluation to bound chunked-vs-whole differences."""
from typing import Callable

import numpy as np

from .config import HOP, N_FFT

Spectra = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # (192, n) -> (bins, n) x2


def window() -> np.ndarray:
    n = np.arange(N_FFT)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)).astype(np.float64)  # periodic Hann


def overlap_add(real: np.ndarray, imag: np.ndarray, first: int, total: int, lo: int, hi: int) -> np.ndarray:
    """Samples [lo, hi) of the utterance from the spectra of frames
    first..first+len-1 (which must cover every frame touching [lo, hi))."""
    w = window()
    out = np.zeros(hi - lo)
    env = np.zeros(hi - lo)
    frames = np.fft.irfft(real.T + 1j * imag.T, n=N_FFT) * w  # (n, N_FFT)
    for j, frame in enumerate(frames):
        start = (first + j) * HOP - N_FFT // 2
        a, b = max(start, lo), min(start + N_FFT, hi)
        if a < b:
            out[a - lo:b - lo] += frame[a - start:b - start]
    # The window-square envelope comes from every frame of the utterance, not just these.
    for k in range(max(0, (lo - N_FFT // 2) // HOP), min(total, (hi + N_FFT // 2) // HOP + 1)):
        start = k * HOP - N_FFT // 2
        a, b = max(start, lo), min(start + N_FFT, hi)
        if a < b:
            env[a - lo:b - lo] += w[a - start:b - start] ** 2
    return out / np.maximum(env, 1e-11)


def synthesize_chunked(spectra: Spectra, features: np.ndarray, chunk_frames: int, context: int) -> np.ndarray:
    """Audio for all N frames, produced chunk by chunk of `chunk_frames` frames."""
    n = features.shape[1]
    pieces = []
    for a in range(0, n, chunk_frames):
        b = min(n, a + chunk_frames)
        need_lo, need_hi = max(0, a - 2), min(n, b + 2)  # frames overlapping [a*HOP, b*HOP)
        run_lo, run_hi = max(0, need_lo - context), min(n, need_hi + context)
        real, imag = spectra(features[:, run_lo:run_hi])
        keep = slice(need_lo - run_lo, need_hi - run_lo)
        pieces.append(overlap_add(real[:, keep], imag[:, keep], need_lo, n, a * HOP, b * HOP))
    return np.concatenate(pieces)


def synthesize_whole(spectra: Spectra, features: np.ndarray) -> np.ndarray:
    n = features.shape[1]
    real, imag = spectra(features)
    return overlap_add(real, imag, 0, n, 0, n * HOP)
