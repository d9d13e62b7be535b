"""Pictures and files for people: WAV pairs, spectrograms, loss curves, the
markdown table of figures."""
import csv
from pathlib import Path

import matplotlib
import numpy as np
import scipy.io.wavfile
import scipy.signal

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .config import SAMPLE_RATE  # noqa: E402
from .paths import CKPT_DIR  # noqa: E402


def save_pair(out: Path, name: str, teacher: np.ndarray, student: np.ndarray) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for tag, audio in (("teacher", teacher), ("student", student)):
        scipy.io.wavfile.write(out / f"{name}-{tag}.wav", SAMPLE_RATE, (np.clip(audio, -1, 1) * 32767).astype(np.int16))
    fig, axes = plt.subplots(2, 1, figsize=(10, 5), sharex=True)
    for ax, (tag, audio) in zip(axes, (("teacher", teacher), ("student (int8)", student))):
        f, t, s = scipy.signal.stft(audio, SAMPLE_RATE, nperseg=1024, noverlap=768)
        ax.pcolormesh(t, f, 20 * np.log10(np.abs(s) + 1e-5), vmin=-100, vmax=0, shading="auto")
        ax.set_ylabel(f"{tag}\nHz")
    axes[-1].set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(out / f"{name}-spectrogram.png", dpi=80)
    plt.close(fig)


def loss_curves(out: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax, name in zip(axes, ("acoustic", "vocoder")):
        path = CKPT_DIR / f"{name}-loss.csv"
        if not path.exists():
            continue
        rows = list(csv.DictReader(path.open()))
        for key in rows[0]:
            if key != "step":
                ax.plot([int(r["step"]) for r in rows], [float(r[key]) for r in rows], label=key)
        ax.set_title(name)
        ax.set_xlabel("step")
        ax.set_yscale("log")
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / "loss-curves.png", dpi=80)
    plt.close(fig)


def markdown(s: dict) -> str:
    c = s.get("streamed_vs_whole", {})
    return "\n".join([
        "| figure | teacher | student (int8) |", "|---|---|---|",
        f"| model files | 63.2 MB (fp32) | {s['model_bytes'] / 1e6:.2f} MB |",
        f"| real-time factor, 1 thread (onnxruntime CPU) | {s['teacher_rtf_1thread']:.3f} | {s['student_rtf_1thread']:.3f} |",
        f"| speed-up vs teacher | 1x | {s['speedup_vs_teacher']:.1f}x |",
        f"| PocketSphinx WER on {s['sentences']} dev sentences | {s['teacher_wer']:.3f} | {s['student_wer']:.3f} ({s['student_wer'] / max(s['teacher_wer'], 1e-9):.2f}x teacher) |",
        f"| MCD vs teacher (DTW, 12 MFCC) | - | {s['mcd_db']:.2f} dB |",
        f"| log-F0 RMSE vs teacher | - | {s['logf0_rmse_cents']:.0f} cents |",
        f"| total duration vs teacher | 1 | {s['duration_ratio']:.3f} |",
        f"| streamed (the Worker's windows) vs whole | - | magnitudes {c.get('magnitude_error_db', float('nan')):.1f} dB; audio SNR {c.get('snr_db', float('nan')):.1f} dB, max diff {c.get('max_abs_diff', float('nan')):.2e} |",
        "",
    ])
