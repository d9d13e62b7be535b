"""Teacher dumps in memory, and the batches each student trains on."""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .config import HOP, N_FFT
from .paths import TEACHER_DIR
from .pitch import id_pitch, path_for


@dataclass
class Utterance:
    uid: str
    ids: np.ndarray  # (T,) int
    durations: np.ndarray  # (T,) int, frames per id
    z: np.ndarray  # (192, N) float16
    audio: np.ndarray  # (N*HOP,) int16
    f0: np.ndarray | None = None  # (N,) Hz from the teacher's audio (pitch.py), 0 unvoiced; None before `pitch` ran


def dump_files(directory: Path = TEACHER_DIR) -> list[Path]:
    """The teacher dumps written so far of the current corpus's utterances, in corpus order."""
    return [f for f in (directory / f"{uid}.npz" for uid in corpus_ids()) if f.exists()]


def corpus_ids() -> list[str]:
    from .corpus import load
    return [item["id"] for item in load()]


def load_teacher(directory: Path = TEACHER_DIR, limit: int | None = None) -> list[Utterance]:
    files = dump_files(directory)[:limit]
    out = []
    for f in files:
        d = np.load(f)
        f0 = path_for(f)
        out.append(Utterance(f.stem, d["ids"].astype(np.int64), d["durations"].astype(np.int64), d["z"], d["audio"],
                             np.load(f0) if f0.exists() else None))
    return out


class TeacherPool:
    """Training utterances, re-read every `refresh_every` draws so training can
    start while the teacher dump is still being written."""

    def __init__(self, refresh_every: int = 250):
        self.refresh_every = refresh_every
        self.calls = 0
        self.train: list[Utterance] = []
        self._reload()

    def _reload(self) -> None:
        utts = load_teacher()
        if len(utts) > len(self.train) + 48:
            self.train, _ = split(utts)

    def get(self) -> list[Utterance]:
        self.calls += 1
        if self.calls % self.refresh_every == 0:
            self._reload()
        return self.train


def split(utts: list[Utterance], held_out: int = 48) -> tuple[list[Utterance], list[Utterance]]:
    """The last utterances (by id) are a validation set never trained on."""
    return utts[:-held_out], utts[-held_out:]


def acoustic_batch(utts: list[Utterance], rng: np.random.Generator, size: int,
                   with_audio: bool = False) -> dict[str, torch.Tensor]:
    """Whole utterances, padded. Similar lengths are grouped to waste less compute. `with_audio` adds the teacher's
    audio (only the spectral loss reads it)."""
    order = np.argsort([len(u.ids) for u in utts])
    start = rng.integers(0, max(1, len(order) - size))
    chosen = [utts[i] for i in order[start:start + size]]
    t = max(len(u.ids) for u in chosen)
    n = max(u.z.shape[1] for u in chosen)
    ids = torch.zeros(len(chosen), t, dtype=torch.long)
    dur = torch.zeros(len(chosen), t, dtype=torch.long)
    z = torch.zeros(len(chosen), 192, n)
    frame_mask = torch.zeros(len(chosen), n, dtype=torch.bool)
    for i, u in enumerate(chosen):
        ids[i, :len(u.ids)] = torch.from_numpy(u.ids)
        dur[i, :len(u.ids)] = torch.from_numpy(u.durations)
        z[i, :, :u.z.shape[1]] = torch.from_numpy(u.z.astype(np.float32))
        frame_mask[i, :u.z.shape[1]] = True
    pitch_target = torch.zeros(len(chosen), t)
    for i, u in enumerate(chosen):
        if u.f0 is not None:
            pitch_target[i, :len(u.ids)] = torch.from_numpy(id_pitch(u.f0, u.durations))
    batch = {"ids": ids, "mask": ids != 0, "durations": dur, "z": z, "frame_mask": frame_mask, "pitch": pitch_target,
             "id_mask": torch.arange(t)[None, :] < torch.tensor([len(u.ids) for u in chosen])[:, None]}
    if with_audio:
        batch["audio"] = torch.zeros(len(chosen), n * HOP)
        for i, u in enumerate(chosen):
            batch["audio"][i, :len(u.audio)] = torch.from_numpy(u.audio.astype(np.float32) / 32768)
    return batch


def audio_frames(audio: torch.Tensor, first: int, frames: int) -> torch.Tensor:
    """(B, samples) utterance audio -> the samples under frames first..first+frames-1 with N_FFT/2 of margin each
    side (zeros past the edges): what losses.frame_spectrum frames into exactly those frames."""
    margin = N_FFT // 2
    lo, hi = first * HOP - margin, (first + frames) * HOP + margin
    out = audio.new_zeros(audio.shape[0], hi - lo)
    a, b = max(0, lo), min(audio.shape[1], hi)
    out[:, a - lo:b - lo] = audio[:, a:b]
    return out


def teacher_features(u: Utterance) -> np.ndarray:
    return u.z


def vocoder_batch(utts: list[Utterance], rng: np.random.Generator, size: int, frames: int,
                  features: Callable[[Utterance], np.ndarray] = teacher_features) -> dict[str, torch.Tensor]:
    """Random segments of `frames` feature frames (the teacher's z, or the
    student acoustic model's prediction of it), and the matching teacher audio
    with N_FFT/2 samples of margin each side (zeros past the utterance edges)
    so the target spectrum of every frame in the segment is complete."""
    margin = N_FFT // 2
    feats, audio = [], []
    for _ in range(size):
        u = utts[rng.integers(len(utts))]
        n = u.z.shape[1]
        k0 = int(rng.integers(0, max(1, n - frames)))
        seg = np.zeros((192, frames), dtype=np.float32)
        take = min(frames, n - k0)
        seg[:, :take] = features(u)[:, k0:k0 + take]
        wav = np.zeros(frames * HOP + 2 * margin, dtype=np.float32)
        lo, hi = k0 * HOP - margin, (k0 + frames) * HOP + margin
        src = u.audio[max(0, lo):min(len(u.audio), hi)].astype(np.float32) / 32768
        wav[max(0, lo) - lo:max(0, lo) - lo + len(src)] = src
        feats.append(seg)
        audio.append(wav)
    return {"features": torch.from_numpy(np.stack(feats)), "audio": torch.from_numpy(np.stack(audio))}


@dataclass
class Unspoken:
    """A chunk only the teacher's text encoder saw (prior.py): its frames per id and labelled per-id pitch."""
    ids: np.ndarray  # (T,) int
    durations: np.ndarray  # (T,) int
    pitch: np.ndarray  # (T,) float, pitch.id_pitch's scale, 0 for ids without voiced frames


def load_unspoken(directory: Path) -> list[Unspoken]:
    """Every chunk with a prior dump and a pitch label in `directory`."""
    out = []
    for label in sorted(directory.glob("x*.pitch.npy")):
        d = np.load(label.with_name(label.name.replace(".pitch.npy", ".npz")))
        out.append(Unspoken(d["ids"].astype(np.int64), d["durations"].astype(np.int64), np.load(label)))
    return out


def unspoken_batch(utts: list[Unspoken], rng: np.random.Generator, size: int) -> dict[str, torch.Tensor]:
    """Ids, frames and pitch of `size` chunks of similar length, padded (as acoustic_batch, without features)."""
    order = np.argsort([len(u.ids) for u in utts])
    start = rng.integers(0, max(1, len(order) - size))
    chosen = [utts[i] for i in order[start:start + size]]
    t = max(len(u.ids) for u in chosen)
    batch = {k: torch.zeros(len(chosen), t, dtype=torch.long) for k in ("ids", "durations")}
    batch["pitch"] = torch.zeros(len(chosen), t)
    for i, u in enumerate(chosen):
        batch["ids"][i, :len(u.ids)] = torch.from_numpy(u.ids)
        batch["durations"][i, :len(u.ids)] = torch.from_numpy(u.durations)
        batch["pitch"][i, :len(u.ids)] = torch.from_numpy(u.pitch)
    batch["id_mask"] = torch.arange(t)[None, :] < torch.tensor([len(u.ids) for u in chosen])[:, None]
    return batch

