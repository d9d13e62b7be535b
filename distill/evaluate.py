"""`python -m distill eval`: the shipped int8 student against the teacher, side
by side in one run, on the dev sentences (never trained on). Writes
distill/reports/eval.json, eval.md, WAVs and spectrogram/loss PNGs."""
import json
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from . import metrics, phase, phonemize, report
from .config import HOP, SAMPLE_RATE
from .paths import DEV_SENTENCES, MODELS, REPORTS
from .stream import stream_magnitudes, synthesize_whole, worker_throughs
from .teacher import Teacher


class Student:
    """The shipped models-int8/ files run with onnxruntime on one thread."""

    def __init__(self, models: Path = MODELS):
        self.manifest = json.loads((models / "manifest.json").read_text())
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        load = lambda key: ort.InferenceSession(str(models / self.manifest[key]["file"]), opts,
                                                providers=["CPUExecutionProvider"])
        self.acoustic, self.vocoder = load("acoustic"), load("vocoder")
        voice = self.manifest["voices"][0]["file"]
        self.voice = np.fromfile(models / voice, dtype="<f4")[None, :]
        streaming = self.manifest["vocoder"]["streaming"]
        self.lookahead, self.state_shape = streaming["lookaheadFrames"], tuple(streaming["stateShape"])
        self.layers = streaming["layers"]

    def features(self, ids: list[int], length_scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        scale = length_scale * self.manifest["acoustic"].get("durationScale", 1.0)  # as the Worker applies it
        feeds = {"ids": np.array([ids], np.int64), "voice": self.voice,
                 "length_scale": np.array([scale], np.float32)}
        durations, feats = self.acoustic.run(None, feeds)
        return durations[0], feats[0]

    def magnitudes(self, feats: np.ndarray, throughs: list[int] | None = None) -> np.ndarray:
        """The streaming vocoder over one run: one call, or one per entry of `throughs` (stream.py)."""
        call = lambda f, s, k: self.vocoder.run(None, {"features": f, "state": s, "keep": k})
        mag, _ = stream_magnitudes(call, feats, self.lookahead, self.state_shape, self.layers, throughs)
        return mag.astype(np.float64)

    def spectra(self, feats: np.ndarray, throughs: list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """As the Worker serves them: the vocoder's magnitudes with the phase rebuilt (phase.py)."""
        mag = self.magnitudes(feats, throughs)
        return phase.rebuild(mag, np.zeros_like(mag))

    def synthesize(self, ids: list[int]) -> np.ndarray:
        return synthesize_whole(self.spectra, self.features(ids)[1])


def write_dev_ids(sentences: list[str], id_map: dict[str, int]) -> list[list[int]]:
    """Phoneme ids of the dev sentences, shared with `npm run bench:model`, which
    times the same inputs in onnxruntime-web."""
    all_ids = [phonemize.phonemes_to_ids(phonemize.phonemize(t), id_map) for t in sentences]
    REPORTS.mkdir(parents=True, exist_ok=True)
    rows = [{"text": t, "ids": i} for t, i in zip(sentences, all_ids)]
    (REPORTS / "dev-ids.json").write_text(json.dumps(rows) + "\n")
    return all_ids


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def main(limit: int | None = None) -> dict:
    teacher, student = Teacher(threads=1, internals=False), Student()
    every = DEV_SENTENCES.read_text().splitlines()
    sentences = every[:limit]
    all_ids = write_dev_ids(every, teacher.id_map)[:limit]
    rows = []
    for i, (text, ids) in enumerate(zip(sentences, all_ids)):
        t_audio, t_time = _timed(lambda: teacher.synthesize_ids(ids)["audio"])
        s_audio, s_time = _timed(student.synthesize, ids)
        row = {"text": text, "teacher_s": t_time, "student_s": s_time,
               "teacher_audio_s": len(t_audio) / SAMPLE_RATE, "student_audio_s": len(s_audio) / SAMPLE_RATE,
               "teacher_asr": metrics.recognise(t_audio), "student_asr": metrics.recognise(s_audio),
               **metrics.compare(t_audio, s_audio)}
        rows.append(row)
        if i < 3:
            report.save_pair(REPORTS, f"dev{i:02d}", t_audio, s_audio)
        print(f"[{i + 1}/{len(sentences)}] mcd {row['mcd_db']:.2f} | {row['student_asr']}", flush=True)
    summary = summarise(rows)
    summary["streamed_vs_whole"] = stream_check(student, teacher, sentences[0])
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "eval.json").write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n")
    (REPORTS / "eval.md").write_text(report.markdown(summary))
    report.loss_curves(REPORTS)
    print(report.markdown(summary))
    return summary


def summarise(rows: list[dict]) -> dict:
    def wer(key):
        errors = sum(metrics.edit_distance(metrics.words(r["text"]), metrics.words(r[key])) for r in rows)
        return errors / sum(len(metrics.words(r["text"])) for r in rows)
    t_time, s_time = sum(r["teacher_s"] for r in rows), sum(r["student_s"] for r in rows)
    t_audio, s_audio = sum(r["teacher_audio_s"] for r in rows), sum(r["student_audio_s"] for r in rows)
    size = sum(p.stat().st_size for p in MODELS.glob("*.onnx"))
    return {
        "sentences": len(rows),
        "model_bytes": size,
        "teacher_rtf_1thread": t_time / t_audio, "student_rtf_1thread": s_time / s_audio,
        "speedup_vs_teacher": (t_time / t_audio) / (s_time / s_audio),
        "teacher_wer": wer("teacher_asr"), "student_wer": wer("student_asr"),
        "mcd_db": float(np.mean([r["mcd_db"] for r in rows])),
        "logf0_rmse_cents": float(np.nanmean([r["logf0_rmse_cents"] for r in rows])),
        "duration_ratio": s_audio / t_audio,
    }


def stream_check(student: Student, teacher: Teacher, text: str) -> dict:
    """The vocoder streamed as the Worker windows it (7 frames first) vs one call over the whole utterance: the
    magnitudes' relative error, and the audio's SNR with the phase rebuilt from each (a rare int8 rounding flip in
    one magnitude changes where the phase integration starts in that frame, so the audio can differ more than the
    magnitudes do)."""
    ids = phonemize.phonemes_to_ids(phonemize.phonemize(text), teacher.id_map)
    feats = student.features(ids)[1]
    throughs = worker_throughs(feats.shape[1])
    whole, streamed = student.magnitudes(feats), student.magnitudes(feats, throughs)
    mag_db = 10 * np.log10(((streamed - whole) ** 2).sum() / (whole ** 2).sum() + 1e-30)
    audio = synthesize_whole(student.spectra, feats)
    err = synthesize_whole(lambda f: student.spectra(f, throughs), feats) - audio
    snr = 10 * np.log10((audio ** 2).sum() / max((err ** 2).sum(), 1e-20))
    return {"magnitude_error_db": float(mag_db), "snr_db": float(snr), "max_abs_diff": float(np.abs(err).max())}
