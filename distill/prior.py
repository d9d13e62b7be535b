"""Pitch and duration targets for text the teacher never speaks aloud.

The student's pitch predictor learns a function of the phoneme ids from the ~10,600 chunks the teacher speaks, and
it generalises poorly: on unseen sentences its per-id pitch correlates 0.57 with the teacher's (0.71 on the training
sentences). More spoken text is expensive (the teacher's flow and HiFi-GAN are most of its cost), but with noise
scales 0 the teacher's pitch is a function of its text encoder's prior mean m_p, which is cheap to compute:

1. `dump` runs only the teacher's text encoder and duration predictor (a subgraph of the Piper ONNX model) over both
   corpora: per id m_p (192) and frames.
2. `train_labeller` fits a small convolutional net from (m_p, log frames) to the per-id pitch of the spoken corpus
   (pitch.py's targets from the teacher's audio); it reads the teacher's own representation, so it is accurate.
3. `label` writes its pitch for every chunk of the unspoken corpus (corpus.build_extra), which the acoustic model then
   trains its pitch and duration predictors on (train.train_acoustic `extra`).
"""
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from . import corpus
from .paths import CORPUS, CORPUS_EXTRA, PRIOR_DIR, TEACHER_DIR, WORK

ENCODER_OUTPUTS = ("/enc_p/Split_output_0", "/Ceil_output_0")  # m_p (1, 192, T) and frames per id (1, 1, T)
ENCODER_MODEL = WORK / "teacher-encoder.onnx"
LABELLER = PRIOR_DIR / "labeller.pt"


def encoder_model() -> Path:
    """The Piper graph cut after the text encoder and duration predictor (cached)."""
    if not ENCODER_MODEL.exists():
        import onnx
        from onnx.utils import Extractor

        from .teacher import teacher_files
        sub = Extractor(onnx.load(str(teacher_files()[0]))).extract_model(
            ["input", "input_lengths", "scales"], list(ENCODER_OUTPUTS))
        ENCODER_MODEL.parent.mkdir(parents=True, exist_ok=True)
        tmp = ENCODER_MODEL.with_suffix(".tmp")
        onnx.save(sub, str(tmp))
        os.replace(tmp, ENCODER_MODEL)
    return ENCODER_MODEL


_session = None


def _encode_one(item: dict) -> None:
    global _session
    out = PRIOR_DIR / f"{item['id']}.npz"
    if out.exists():
        return
    if _session is None:
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        _session = ort.InferenceSession(str(encoder_model()), opts, providers=["CPUExecutionProvider"])
    from .teacher import SCALES
    ids = item["ids"]
    mp, frames = _session.run(None, {"input": np.array([ids], dtype=np.int64),
                                     "input_lengths": np.array([len(ids)], dtype=np.int64), "scales": SCALES})
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, ids=np.array(ids, dtype=np.int16), durations=frames.reshape(-1).astype(np.int16),
             mp=mp[0].astype(np.float16))
    os.replace(tmp, out)  # atomic: an interrupted run resumes cleanly


def dump(workers: int = 2) -> None:
    """Resumable: m_p and frames of every chunk of both corpora."""
    PRIOR_DIR.mkdir(parents=True, exist_ok=True)
    encoder_model()
    if not CORPUS_EXTRA.exists():
        corpus.build_extra()
    items = [i for path in (CORPUS, CORPUS_EXTRA) for i in corpus.load(path) if not (PRIOR_DIR / f"{i['id']}.npz").exists()]
    with ProcessPoolExecutor(workers) as pool:
        for _ in tqdm(pool.map(_encode_one, items, chunksize=16), total=len(items), desc="prior"):
            pass


class Labeller(nn.Module):
    """(m_p (B, 192, T), log frames (B, T)) -> (normalised log-F0 per id, logit that the id has voiced frames), each
    (B, T). Its reach (+-12 ids) covers the teacher's flow, which is where m_p becomes pitch."""

    def __init__(self, dim: int = 192, layers: int = 4):
        super().__init__()
        self.inp = nn.Conv1d(193, dim, 1)
        self.convs = nn.ModuleList(nn.Conv1d(dim, dim, 7, padding=3) for _ in range(layers))
        self.out = nn.Conv1d(dim, 2, 1)

    def forward(self, mp: torch.Tensor, logd: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.inp(torch.cat([mp, logd[:, None]], 1))
        for conv in self.convs:
            x = x + torch.nn.functional.gelu(conv(x))
        pitch, voiced = self.out(x).unbind(1)
        return pitch, voiced

    def targets(self, mp: torch.Tensor, logd: torch.Tensor) -> torch.Tensor:
        """Pitch targets as pitch.id_pitch writes them: 0 for ids predicted to have no voiced frames."""
        pitch, voiced = self(mp, logd)
        return pitch * (voiced > 0)


def _load(uid: str) -> tuple[np.ndarray, np.ndarray]:
    d = np.load(PRIOR_DIR / f"{uid}.npz")
    return d["mp"].astype(np.float32), d["durations"].astype(np.float32)


def _batch(items: list[tuple[np.ndarray, np.ndarray, np.ndarray]]):
    t = max(len(d) for _, d, _ in items)
    mp = torch.zeros(len(items), 192, t)
    logd = torch.zeros(len(items), t)
    target = torch.zeros(len(items), t)
    mask = torch.zeros(len(items), t)
    ids = torch.zeros(len(items), t)
    for i, (m, d, p) in enumerate(items):
        ids[i, :len(d)] = 1
        mp[i, :, :len(d)] = torch.from_numpy(m)
        logd[i, :len(d)] = torch.from_numpy(np.log(np.maximum(d, 1)))
        target[i, :len(d)] = torch.from_numpy(p)
        mask[i, :len(d)] = torch.from_numpy((p != 0).astype(np.float32))  # ids with voiced frames
    return mp, logd, target, mask, ids


def spoken_examples() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(m_p, frames, pitch target) of every spoken chunk with its F0 on disk, in corpus order."""
    from .data import dump_files
    from .pitch import id_pitch, path_for
    out = []
    for f in dump_files(TEACHER_DIR):
        if path_for(f).exists() and (PRIOR_DIR / f"{f.stem}.npz").exists():
            mp, frames = _load(f.stem)
            out.append((mp, frames, id_pitch(np.load(path_for(f)), frames.astype(np.int64))))
    return out


def train_labeller(steps: int = 3000, threads: int = 2, held_out: int = 300) -> dict[str, float]:
    """Fits the labeller on the spoken chunks but the last `held_out`, and reports its error on those."""
    torch.set_num_threads(threads)
    torch.manual_seed(1234)
    examples = spoken_examples()
    train, test = examples[:-held_out], examples[-held_out:]
    model = Labeller()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(1234)
    bar = tqdm(range(steps), desc="labeller")
    for step in bar:
        for g in opt.param_groups:
            g["lr"] = 1e-3 * min(1.0, (step + 1) / 100) * max(0.05, 1 - step / steps)
        mp, logd, target, mask, real = _batch([train[i] for i in rng.integers(len(train), size=16)])
        pitch, voiced = model(mp, logd)
        loss = (((pitch - target) ** 2) * mask).sum() / mask.sum() + 0.3 * (
            torch.nn.functional.binary_cross_entropy_with_logits(voiced, mask, reduction="none") * real).sum() / real.sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0:
            bar.set_postfix(loss=f"{loss.item():.3f}")
    model.eval()
    pred, true, agree = [], [], []
    with torch.no_grad():
        for ex in test:
            mp, logd, target, mask, _ = _batch([ex])
            pitch, voiced = model(mp, logd)
            keep = mask[0] > 0
            pred.append(pitch[0][keep].numpy())
            true.append(target[0][keep].numpy())
            agree.append(((voiced[0] > 0) == keep).numpy())
    p, t = np.concatenate(pred), np.concatenate(true)
    result = {"correlation": float(np.corrcoef(p, t)[0, 1]), "rmse": float(np.sqrt(((p - t) ** 2).mean())),
              "spread_ratio": float(p.std() / t.std()), "voicing_agreement": float(np.concatenate(agree).mean())}
    print(f"labeller on {held_out} held-out spoken chunks: correlation {result['correlation']:.3f}, "
          f"rmse {result['rmse']:.3f}, spread ratio {result['spread_ratio']:.2f}, "
          f"voiced ids agree {result['voicing_agreement']:.3f}")
    torch.save(model.state_dict(), LABELLER)
    return result


def label() -> int:
    """Writes <id>.pitch.npy beside every unspoken chunk's prior dump; returns how many."""
    model = Labeller()
    model.load_state_dict(torch.load(LABELLER))
    model.eval()
    done = 0
    for item in tqdm(corpus.load(CORPUS_EXTRA), desc="label"):
        out = PRIOR_DIR / f"{item['id']}.pitch.npy"
        src = PRIOR_DIR / f"{item['id']}.npz"
        if out.exists() or not src.exists():
            continue
        mp, frames = _load(item["id"])
        with torch.no_grad():
            p = model.targets(torch.from_numpy(mp)[None], torch.from_numpy(np.log(np.maximum(frames, 1)))[None])[0].numpy()
        np.save(out, p.astype(np.float32))
        done += 1
    return done
