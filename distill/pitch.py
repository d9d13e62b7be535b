"""Pitch targets from the teacher's audio: Praat's F0 per student frame, averaged per phoneme id (FastPitch's
representation), in a normalised log scale. The acoustic model predicts these from text and feeds them to its frame
decoder, so pitch is an explicit output instead of something the decoder must infer from the phoneme context
(which an L1 loss on the teacher's z flattens: the student lost the teacher's pitch peaks)."""
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .config import HOP, SAMPLE_RATE

# log-F0 normalisation of the joe voice (Hz): centre and spread of the teacher's voiced frames on the corpus.
LOG_F0_MEAN = float(np.log(90.0))
LOG_F0_STD = 0.22
FLOOR_HZ, CEILING_HZ = 60.0, 400.0


def frame_f0(audio: np.ndarray) -> np.ndarray:
    """(N*HOP,) samples -> (N,) F0 in Hz at frame centres k*HOP, 0 where Praat finds no voicing."""
    import parselmouth

    n = len(audio) // HOP
    snd = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=SAMPLE_RATE)
    pitch = snd.to_pitch(time_step=HOP / SAMPLE_RATE, pitch_floor=FLOOR_HZ, pitch_ceiling=CEILING_HZ)
    f0 = pitch.selected_array["frequency"]
    times = pitch.xs()
    centres = np.arange(n) * HOP / SAMPLE_RATE
    out = np.zeros(n)
    if len(f0) == 0:
        return out
    # Nearest analysis frame; frames outside Praat's range (the utterance edges) are unvoiced.
    idx = np.clip(np.round((centres - times[0]) / (HOP / SAMPLE_RATE)).astype(int), 0, len(f0) - 1)
    inside = (centres >= times[0] - HOP / SAMPLE_RATE) & (centres <= times[-1] + HOP / SAMPLE_RATE)
    out[inside] = f0[idx[inside]]
    return out


def id_pitch(f0: np.ndarray, durations: np.ndarray) -> np.ndarray:
    """Per-id target: mean normalised log-F0 over the id's voiced frames; 0 (the mean) for ids with none."""
    ends = np.cumsum(durations)
    out = np.zeros(len(durations), np.float32)
    for i, (a, b) in enumerate(zip(ends - durations, ends)):
        voiced = f0[a:b][f0[a:b] > 0]
        if len(voiced):
            out[i] = (np.log(voiced).mean() - LOG_F0_MEAN) / LOG_F0_STD
    return out


def path_for(dump: Path) -> Path:
    """Where the F0 of the teacher dump `dump` (uNNNN.npz) is kept: beside it."""
    return dump.with_name(f"{dump.stem}.f0.npy")


def dump(workers: int = 2) -> None:
    """Resumable: F0 of every teacher utterance, written atomically next to its dump."""
    from .data import dump_files
    todo = [f for f in dump_files() if not path_for(f).exists()]
    with ProcessPoolExecutor(workers) as pool:
        for _ in tqdm(pool.map(_pitch_one, todo, chunksize=8), total=len(todo), desc="pitch"):
            pass


def _pitch_one(dump: Path) -> None:
    out = path_for(dump)
    audio = np.load(dump)["audio"].astype(np.float32) / 32768
    tmp = out.with_suffix(".tmp.npy")
    np.save(tmp, frame_f0(audio).astype(np.float32))
    os.replace(tmp, out)
