"""Objective comparisons between student and teacher audio: word error rate
of a speech recogniser, mel-cepstral distortion and log-F0 error after DTW."""
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import scipy.fft
import scipy.io.wavfile
import scipy.signal

from .config import SAMPLE_RATE


def recognise(audio: np.ndarray) -> str:
    """PocketSphinx (Debian's en-us model) on 16 kHz audio: weak on purpose."""
    pcm = scipy.signal.resample_poly(audio, 320, 441)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.wav"
        scipy.io.wavfile.write(path, 16000, (np.clip(pcm, -1, 1) * 32767).astype(np.int16))
        out = subprocess.run(["pocketsphinx_continuous", "-infile", str(path), "-logfn", "/dev/null"],
                             capture_output=True, text=True)
    return " ".join(out.stdout.split())


def words(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c in " '" else " " for c in text.lower()).split()


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def mel_cepstrum(audio: np.ndarray, n_mels: int = 40, n_ceps: int = 13) -> np.ndarray:
    """(frames, n_ceps-1) MFCCs without c0, 1024/256 framing."""
    f, t, spec = scipy.signal.stft(audio, SAMPLE_RATE, nperseg=1024, noverlap=768)
    power = np.abs(spec) ** 2
    mel = np.log(_mel_basis(n_mels) @ power + 1e-3)  # floor: silence must not dominate
    return scipy.fft.dct(mel, axis=0, norm="ortho")[1:n_ceps].T


def _mel_basis(n_mels: int) -> np.ndarray:
    hz = np.linspace(0, SAMPLE_RATE / 2, 513)
    mel = lambda x: 2595 * np.log10(1 + x / 700)
    edges = np.linspace(mel(0), mel(8000), n_mels + 2)
    m = mel(hz)
    basis = np.zeros((n_mels, 513))
    for i in range(n_mels):
        lo, c, hi = edges[i:i + 3]
        basis[i] = np.clip(np.minimum((m - lo) / (c - lo), (hi - m) / (hi - c)), 0, None)
    return basis


def dtw_path(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int]]:
    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    acc = np.full((len(a) + 1, len(b) + 1), np.inf)
    acc[0, 0] = 0
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            acc[i, j] = cost[i - 1, j - 1] + min(acc[i - 1, j], acc[i, j - 1], acc[i - 1, j - 1])
    i, j, path = len(a), len(b), []
    while i > 0 and j > 0:
        path.append((i - 1, j - 1))
        step = np.argmin([acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]])
        i, j = (i - 1, j - 1) if step == 0 else (i - 1, j) if step == 1 else (i, j - 1)
    return path[::-1]


def f0_track(audio: np.ndarray, hop: int = 256, fmin: float = 60, fmax: float = 400,
             threshold: float = 0.2) -> np.ndarray:
    """YIN pitch per hop (0 = unvoiced): the first dip of the cumulative mean
    normalised difference below `threshold`, which avoids octave jumps."""
    win = 1024
    padded = np.pad(audio, (win // 2, win // 2))
    lo, hi = int(SAMPLE_RATE / fmax), int(SAMPLE_RATE / fmin)
    out = []
    for start in range(0, len(audio), hop):
        x = padded[start:start + win]
        if (x * x).mean() < 1e-5:
            out.append(0.0)
            continue
        n = win - hi
        diff = np.array([((x[:n] - x[tau:tau + n]) ** 2).sum() for tau in range(hi + 1)])
        cmndf = diff[1:] * np.arange(1, hi + 1) / np.maximum(np.cumsum(diff[1:]), 1e-12)
        below = np.nonzero(cmndf[lo - 1:] < threshold)[0]
        if len(below) == 0:
            out.append(0.0)
            continue
        tau = lo + below[0]
        while tau < hi and cmndf[tau] < cmndf[tau - 1]:  # walk down to the dip's minimum
            tau += 1
        out.append(SAMPLE_RATE / tau)
    return np.array(out)


def compare(teacher: np.ndarray, student: np.ndarray) -> dict[str, float]:
    """MCD (dB) and log-F0 RMSE (cents) along the DTW path of the MFCCs."""
    ct, cs = mel_cepstrum(teacher), mel_cepstrum(student)
    path = dtw_path(ct, cs)
    diff = np.array([ct[i] - cs[j] for i, j in path])
    mcd = float(np.mean(10 / np.log(10) * np.sqrt(2 * (diff ** 2).sum(-1))))
    ft, fs = f0_track(teacher), f0_track(student)
    pairs = [(ft[i], fs[j]) for i, j in path if i < len(ft) and j < len(fs) and ft[i] > 0 and fs[j] > 0]
    cents = [1200 * np.log2(s / t) for t, s in pairs]
    return {"mcd_db": mcd, "logf0_rmse_cents": float(np.sqrt(np.mean(np.square(cents)))) if cents else float("nan")}
