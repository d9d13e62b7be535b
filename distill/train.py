"""Training loops for both students. Each saves a checkpoint every
`ckpt_every` steps (model, optimiser, step, loss log) and resumes from it; a
fresh machine resumes from the committed float weights in distill/weights/."""
import csv
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from . import data, losses
from .config import HOP, N_FFT, AcousticConfig, TrainConfig, VocoderConfig
from .models import AcousticModel, Vocoder, istft
from .paths import CKPT_DIR, PRIOR_DIR, RESUME_DIR
from .voices import voice_table


def latest_weights(name: str) -> dict | None:
    """This machine's checkpoint (model, optimiser, step), else the committed
    resume point (half-precision model, step), else None."""
    for path in (CKPT_DIR / f"{name}.pt", RESUME_DIR / f"{name}.pt"):
        if path.exists():
            return torch.load(path, weights_only=False)
    return None


# Modules added after weights were first trained: weights without them load, and the modules keep their initial
# values (the pitch embedding starts at zero, so the model behaves as before).
ADDED_LATER = ("pitch_head.", "pitch_embed.")


def _load_model_weights(model: torch.nn.Module, weights: dict) -> bool:
    """Loads `weights` (half or float); returns whether every parameter of the model was in them."""
    result = model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in weights.items()}, strict=False)
    if result.unexpected_keys or any(not k.startswith(ADDED_LATER) for k in result.missing_keys):
        raise KeyError(f"weights do not fit the model: missing {result.missing_keys}, unexpected {result.unexpected_keys}")
    return not result.missing_keys


def _load_state(name: str, model: torch.nn.Module, opt: torch.optim.Optimizer) -> tuple[int, bool]:
    """(step, whether the optimiser state was restored)."""
    state = latest_weights(name)
    if state is None:
        return 0, True
    complete = _load_model_weights(model, state["model"])
    if "opt" in state and complete:  # the committed resume point carries no optimiser state
        opt.load_state_dict(state["opt"])
        return state["step"], True
    return state["step"], False


def save_weights(name: str, model: torch.nn.Module, opt: torch.optim.Optimizer, step: int) -> None:
    CKPT_DIR.mkdir(parents=True, exist_ok=True)
    tmp = CKPT_DIR / f"{name}.pt.tmp"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step}, tmp)
    tmp.replace(CKPT_DIR / f"{name}.pt")


def publish_weights(name: str, model: torch.nn.Module, step: int) -> Path:
    """Half-precision float weights small enough to commit as a resume point."""
    RESUME_DIR.mkdir(parents=True, exist_ok=True)
    half = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    path = RESUME_DIR / f"{name}.pt"
    torch.save({"model": half, "step": step}, path)
    return path


def load_model(name: str) -> torch.nn.Module:
    state = latest_weights(name)
    if state is None:
        raise FileNotFoundError(f"no weights for {name}: run python -m distill train-{name}")
    model = AcousticModel() if name == "acoustic" else Vocoder()
    _load_model_weights(model, state["model"])
    return model.eval()


class LossLog:
    def __init__(self, name: str):
        self.path = CKPT_DIR / f"{name}-loss.csv"
        CKPT_DIR.mkdir(parents=True, exist_ok=True)

    def write(self, step: int, values: dict[str, float]) -> None:
        new = not self.path.exists()
        with self.path.open("a", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(["step", *values])
            w.writerow([step, *(f"{v:.5f}" for v in values.values())])


def _loop(name: str, model, step_fn, cfg: TrainConfig, threads: int) -> None:
    torch.set_num_threads(threads)
    torch.manual_seed(cfg.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, betas=(0.8, 0.99))
    start, restored = _load_state(name, model, opt)
    # Warm up again after resuming without the optimiser's moments (a fresh machine, from the committed weights).
    warm_from = 0 if restored else start
    sched = lambda s: cfg.lr * min(1.0, (s + 1 - warm_from) / 200) * max(0.1, 1 - s / cfg.steps)
    rng = np.random.default_rng(cfg.seed + start)
    log = LossLog(name)
    running: dict[str, float] = {}
    bar = tqdm(range(start, cfg.steps), initial=start, total=cfg.steps, desc=name)
    for step in bar:
        for g in opt.param_groups:
            g["lr"] = sched(step)
        parts = step_fn(rng)
        loss = sum(parts.values())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        running = {k: 0.9 * running.get(k, v.item()) + 0.1 * v.item() for k, v in parts.items()}
        bar.set_postfix({k: f"{v:.3f}" for k, v in running.items()})
        if (step + 1) % cfg.ckpt_every == 0 or step + 1 == cfg.steps:
            log.write(step + 1, running)
            save_weights(name, model, opt, step + 1)
            publish_weights(name, model, step + 1)


# Frames each side of a crop that the vocoder needs to see for the crop's spectra (its receptive field).
VOCODER_CONTEXT = VocoderConfig().context_frames


def _prosody_losses(model: AcousticModel, b: dict[str, torch.Tensor], voice: torch.Tensor):
    """(hidden states, duration loss, pitch loss) of a batch with ids, durations, pitch and id_mask."""
    h, logd = model.encode(b["ids"], voice, b["id_mask"])
    m = b["id_mask"].float()
    target_logd = torch.log(b["durations"].float().clamp(min=1))
    dur_loss = (((logd - target_logd) ** 2) * m).sum() / m.sum()
    pitch_loss = (((model.predict_pitch(h) - b["pitch"]) ** 2) * m).sum() / m.sum()
    return h, dur_loss, pitch_loss


def train_acoustic(steps: int | None = None, threads: int = 1, spectral: float = 0.0, pitch: float = 0.1,
                   extra: float = 0.0) -> None:
    """Durations (MSE of log-durations), pitch per id (MSE to pitch.py's targets, weight `pitch`; the frame decoder
    is fed the teacher's pitch while training and the predicted one when served) and features (L1 to the teacher's
    z). spectral > 0 adds, with that weight, an L1 loss between the log-magnitudes the frozen vocoder makes of the
    predicted features and the teacher audio's: it judges features by what they sound like (pitch, harmonics)
    rather than by their distance to the teacher's latent z, which an L1 on z flattens. extra > 0 adds, with that
    weight, the duration and pitch losses on a batch of chunks the teacher never spoke (prior.py's labels)."""
    cfg = TrainConfig(steps=steps or 7000, batch=16, lr=1e-3, segment_frames=64)
    pool = data.TeacherPool()
    model = AcousticModel(AcousticConfig()).train()
    voices = voice_table()
    vocoder = load_model("vocoder").requires_grad_(False) if spectral > 0 else None
    unspoken = data.load_unspoken(PRIOR_DIR) if extra > 0 else []
    if extra > 0 and not unspoken:
        raise FileNotFoundError("no labelled unspoken chunks: run python -m distill prior")

    def step_fn(rng):
        b = data.acoustic_batch(pool.get(), rng, cfg.batch, with_audio=vocoder is not None)
        voice = voices["joe"].expand(b["ids"].shape[0], -1)
        h, dur_loss, pitch_loss = _prosody_losses(model, b, voice)
        h = model.with_pitch(h, b["pitch"], b["id_mask"])
        shortest = int(b["frame_mask"].sum(1).min())
        crop = cfg.segment_frames + (2 * VOCODER_CONTEXT if vocoder else 0)
        s = int(rng.integers(0, max(1, shortest - crop)))
        window = slice(s, s + crop)
        z = model.decode(h, b["durations"], voice, window)
        parts = {"dur": dur_loss, "pitch": pitch * pitch_loss,
                 "feat": losses.masked_l1(z, b["z"][:, :, window], b["frame_mask"][:, window])}
        if unspoken:
            u = data.unspoken_batch(unspoken, rng, cfg.batch)
            _, u_dur, u_pitch = _prosody_losses(model, u, voices["joe"].expand(u["ids"].shape[0], -1))
            parts["x_dur"] = extra * u_dur
            parts["x_pitch"] = extra * pitch * u_pitch
        inner = z.shape[2] - 2 * VOCODER_CONTEXT
        if vocoder is not None and inner > 0:
            real, imag = vocoder(z)
            keep = slice(VOCODER_CONTEXT, VOCODER_CONTEXT + inner)
            mag = torch.sqrt(real[:, :, keep] ** 2 + imag[:, :, keep] ** 2) + 1e-5
            target = losses.frame_spectrum(data.audio_frames(b["audio"], s + VOCODER_CONTEXT, inner)).abs() + 1e-5
            parts["spec"] = spectral * torch.nn.functional.l1_loss(mag.log(), target.log())
        return parts

    _loop("acoustic", model, step_fn, cfg, threads)


class PredictedFeatures:
    """The frozen acoustic student's features for an utterance, with the
    teacher's durations so they stay aligned with the teacher's audio. Fine-
    tuning the vocoder on them teaches it the acoustic model's smoothing."""

    def __init__(self):
        self.model = load_model("acoustic")
        self.voice = voice_table()["joe"]
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, u: data.Utterance) -> np.ndarray:
        if u.uid not in self.cache:
            ids = torch.from_numpy(u.ids)[None]
            with torch.no_grad():
                h, _ = self.model.encode_served(ids, self.voice, torch.ones_like(ids, dtype=torch.bool))
                z = self.model.decode(h, torch.from_numpy(u.durations)[None], self.voice)
            self.cache[u.uid] = z[0].numpy().astype(np.float16)
        return self.cache[u.uid]


def train_vocoder(steps: int | None = None, threads: int = 1, gta: bool = False) -> None:
    """gta: train on the acoustic student's predicted features (fine-tuning stage)."""
    cfg = TrainConfig(steps=steps or 6000, batch=16, lr=1e-3, segment_frames=32)
    pool = data.TeacherPool()
    model = Vocoder(VocoderConfig()).train()
    margin = N_FFT // 2
    inner = slice(2 * HOP, -2 * HOP)  # waveform away from the segment's missing neighbours
    features = PredictedFeatures() if gta else data.teacher_features

    def step_fn(rng):
        b = data.vocoder_batch(pool.get(), rng, cfg.batch, cfg.segment_frames, features)
        real, imag = model(b["features"])
        parts = losses.spectral_loss(real, imag, losses.frame_spectrum(b["audio"]))
        wav = istft(real, imag)
        target = b["audio"][:, margin:-margin]
        parts["mrstft"] = losses.multi_resolution_stft_loss(wav[:, inner], target[:, inner])
        return parts

    _loop("vocoder", model, step_fn, cfg, threads)
