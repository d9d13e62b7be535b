"""Phase rebuilt from the vocoder's magnitudes (phase-gradient heap integration, one frame of look-ahead): the
reference of src/audio/phase.ts, which the Worker applies to every vocoder window. Frame by frame in order, so any
window schedule gives the same spectra. See the TypeScript module for why."""
import heapq

import numpy as np

from .config import HOP, N_FFT

BINS = N_FFT // 2 + 1
GAMMA = 0.25645 * N_FFT * N_FFT  # the Gaussian matching a Hann window of length N_FFT
FLOOR = 0.05  # magnitudes below: noise floor, a fixed pseudo-random phase
# Harmonic sharpening of each frame (src/audio/sharpen.ts): the log-magnitude's fine structure across frequency
# scaled by SHARPEN_BETA around its mean over SHARPEN_WIDTH bins (edge bins repeated past the edges).
SHARPEN_WIDTH, SHARPEN_BETA = 11, 1.25


def sharpen(log: np.ndarray, width: int = SHARPEN_WIDTH, beta: float = SHARPEN_BETA) -> np.ndarray:
    """(bins, n) natural-log magnitudes -> sharpened, frame by frame."""
    half = width // 2
    padded = np.concatenate([np.repeat(log[:1], half, 0), log, np.repeat(log[-1:], half, 0)])
    prefix = np.concatenate([np.zeros((1, log.shape[1])), np.cumsum(padded, 0)])
    mean = (prefix[2 * half + 1:] - prefix[:-2 * half - 1]) / (2 * half + 1)
    return mean + beta * (log - mean)


def _noise_phase(frame: int, bins: np.ndarray) -> np.ndarray:
    """The TypeScript hash, bit for bit (32-bit integer arithmetic)."""
    m = 0xFFFFFFFF
    a = ((frame + 1) * 0x9E3779B1) & m
    b = ((bins.astype(np.uint64) + 1) * 0x85EBCA77) & m
    h = (a ^ b) & m
    h = ((h ^ (h >> 15)) * 0x2C1B3C6D) & m
    h = h ^ (h >> 12)
    return (h.astype(np.float64) / 4294967296.0) * 2 * np.pi - np.pi


def rebuild(real: np.ndarray, imag: np.ndarray, beta: float = SHARPEN_BETA) -> tuple[np.ndarray, np.ndarray]:
    """(bins, n) spectra -> the magnitudes, sharpened (`sharpen`, by `beta`), with the phase rebuilt, in the vocoder's
    frame-start convention."""
    log = sharpen(0.5 * np.log(real * real + imag * imag + 1e-24), beta=beta)
    mag = np.exp(log)
    n = mag.shape[1]
    m = np.arange(BINS)
    slope = np.zeros_like(log)
    slope[1:-1] = (log[2:] - log[:-2]) / 2
    tgrad = HOP * N_FFT / GAMMA * slope + 2 * np.pi * HOP * m[:, None] / N_FFT
    ok = log > np.log(FLOOR)
    phase = np.zeros_like(log)
    for t in range(n):
        nxt = log[:, t + 1] if t + 1 < n else log[:, t]
        prv = log[:, t - 1] if t > 0 else log[:, t]
        fgrad = -GAMMA / (HOP * N_FFT) * (nxt - prv) / (2 if 0 < t < n - 1 else 1)
        ph = np.zeros(BINS)
        done = np.zeros(BINS, bool)
        heap = [(-log[k, t - 1], int(k) + BINS) for k in np.nonzero(ok[:, t] & ok[:, t - 1])[0]] if t > 0 else []
        heapq.heapify(heap)
        onsets = None
        while True:
            if not heap:
                if onsets is None:
                    onsets = [(-log[k, t], int(k)) for k in np.nonzero(ok[:, t] & ~done)[0]]
                    heapq.heapify(onsets)
                best = -1
                while onsets and best < 0:
                    _, k = heapq.heappop(onsets)
                    if not done[k]:
                        best = k
                if best < 0:
                    break
                ph[best], done[best] = 0.0, True
                heapq.heappush(heap, (-log[best, t], best))
                continue
            _, item = heapq.heappop(heap)
            if item >= BINS:
                k = item - BINS
                if done[k]:
                    continue
                ph[k] = phase[k, t - 1] + (tgrad[k, t - 1] + tgrad[k, t]) / 2
                done[k] = True
                heapq.heappush(heap, (-log[k, t], k))
                continue
            for j in (item - 1, item + 1):
                if 0 <= j < BINS and ok[j, t] and not done[j]:
                    step = (fgrad[item] + fgrad[j]) / 2
                    ph[j] = ph[item] + (step if j > item else -step)
                    done[j] = True
                    heapq.heappush(heap, (-log[j, t], j))
        ph[~done] = _noise_phase(t, m[~done])
        phase[:, t] = ph
    sign = (-1.0) ** m[:, None]  # the phase is about the frame's centre, the spectra about its start
    return sign * mag * np.cos(phase), sign * mag * np.sin(phase)
