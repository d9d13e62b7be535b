"""Reference streaming synthesis (numpy), the algorithm the Worker runs: the streaming vocoder fed window by window
with its state carried (src/model/vocoder-stream.ts), then overlap-add iSTFT. Used by the tests and the evaluation to
bound streamed-vs-whole differences."""
from typing import Callable

import numpy as np

from .config import HOP, N_FFT

Spectra = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # (192, n) -> (bins, n) x2
# One streaming vocoder call: features (1, C, m), state, keep (layers, m) -> magnitude (1, bins, m), state.
VocoderCall = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
REACH = -(-N_FFT // 2 // HOP)  # frames each side of a hop that overlap it


def worker_throughs(n: int, first: int = 7, largest: int = 86) -> list[int]:
    """The last frame each vocoder call of a run reaches as the Worker windows it (src/stream/synthesize.ts):
    windows of `first` frames doubling up to `largest`, each through the iSTFT's reach plus the phase's look-ahead."""
    out, a, size = [], 0, first
    while a < n:
        out.append(min(n - 1, a + size + REACH))
        a, size = a + size, min(largest, size * 2)
    return out


def keep_mask(layers: int, lookahead: int, offset: int, m: int, total: int) -> np.ndarray:
    """The `keep` input of a streaming vocoder call (models.StreamingVocoder): 1 where layer i's output position
    offset - (i+1)*lookahead/layers + j lies inside the run."""
    pos = offset - (lookahead // layers) * np.arange(1, layers + 1)[:, None] + np.arange(m)[None, :]
    return ((pos >= 0) & (pos < total)).astype(np.float32)


def stream_magnitudes(call: VocoderCall, features: np.ndarray, lookahead: int, state_shape: tuple[int, ...],
                      layers: int, throughs: list[int] | None = None) -> tuple[np.ndarray, int]:
    """Magnitudes (bins, n) of one run, the vocoder called once per entry of `throughs` (default: one call), each
    fed the frames it needs and the state of the call before; zeros past the run flush the look-ahead.
    Returns them and the number of frames vocoded."""
    n = features.shape[1]
    state = np.zeros(state_shape, np.float32)
    fed, parts = 0, []
    for through in throughs or [n - 1]:
        m = min(through, n - 1) + 1 + lookahead - fed
        if m <= 0:
            continue
        x = np.zeros((1, features.shape[0], m), np.float32)
        real = max(0, min(m, n - fed))
        x[0, :, :real] = features[:, fed:fed + real]
        mag, state = call(x, state, keep_mask(layers, lookahead, fed, m, n))
        parts.append(mag[0])
        fed += m
    return np.concatenate(parts, 1)[:, lookahead:lookahead + n], fed


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


def synthesize_whole(spectra: Spectra, features: np.ndarray) -> np.ndarray:
    n = features.shape[1]
    real, imag = spectra(features)
    return overlap_add(real, imag, 0, n, 0, n * HOP)
