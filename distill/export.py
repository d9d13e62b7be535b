"""Export the students to ONNX, quantise weights to int8, and write
models-int8/ (models, voices, manifest.json) for the Worker."""
import json
from pathlib import Path

import numpy as np
import onnx
import torch
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                      quantize_dynamic, quantize_static)

from . import phonemize
from .data import load_teacher
from .config import FEATURE_DIM, HOP, N_FFT, OPSET, SAMPLE_RATE, VOICE_DIM
from .models import AcousticModel, StreamingVocoder, Vocoder
from .optimize import OPTIMIZED_BY, optimize
from .paths import MODELS, WORK
from .stream import keep_mask
from .teacher import teacher_files
from .train import latest_weights, load_model
from .voices import VOICES, voice_vector

# The acoustic model is trained on the ids the Worker's own front end makes (src/text chunking, src/phonemes G2P:
# en-us IPA as espeak-ng writes it, in Piper's id map); see corpus.py.
FRONTEND_VERSION = "worker-frontend-1/en-us/ipa-chunks"
MAX_FRAMES_PER_ID = 50


class AcousticForOnnx(torch.nn.Module):
    """Tensors-only wrapper: ids (1, T), voice (1, D), length_scale (1,) ->
    durations (1, T) int64 and features (1, 192, N). No sampling: deterministic."""

    def __init__(self, model: AcousticModel):
        super().__init__()
        self.model = model

    def forward(self, ids: torch.Tensor, voice: torch.Tensor, length_scale: torch.Tensor):
        mask = ids >= 0
        h, logd = self.model.encode_served(ids, voice, mask)
        frames = torch.round(torch.exp(logd) * length_scale)
        durations = frames.clamp(1, MAX_FRAMES_PER_ID).long()
        return durations, self.model.decode(h, durations, voice)


def export_acoustic(model: AcousticModel, path: Path) -> None:
    ids = torch.tensor([[1, 0, 20, 0, 59, 0, 2]])
    voice = torch.zeros(1, VOICE_DIM)
    torch.onnx.export(AcousticForOnnx(model).eval(), (ids, voice, torch.ones(1)), str(path),
                      input_names=["ids", "voice", "length_scale"], output_names=["durations", "features"],
                      dynamic_axes={"ids": {1: "T"}, "durations": {1: "T"}, "features": {2: "N"}},
                      opset_version=OPSET, dynamo=False)


def export_vocoder(model: Vocoder, path: Path) -> None:
    """The streaming graph (models.StreamingVocoder): features, carried state, keep mask -> magnitude, state."""
    stream = StreamingVocoder(model.eval()).eval()
    feats = torch.zeros(1, FEATURE_DIM, 40)
    args = (feats, stream.initial_state(), torch.from_numpy(keep_mask(stream.layers, stream.lookahead, 0, 40, 40)))
    torch.onnx.export(stream, args, str(path), input_names=["features", "state", "keep"],
                      output_names=["magnitude", "state_out"],
                      dynamic_axes={"features": {2: "N"}, "keep": {1: "N"}, "magnitude": {2: "N"}},
                      opset_version=OPSET, dynamo=False)


def vocoder_stream_spec(model: Vocoder) -> dict:
    stream = StreamingVocoder(model)
    return {"lookaheadFrames": stream.lookahead, "layers": stream.layers, "stateShape": list(stream.initial_state().shape)}


ACOUSTIC_INT8_OPS = ["MatMul", "Gemm"]
# The Worker multiplies every length scale by this: the shipped student speaks 5% faster than its teacher
# (total duration 0.95 of the teacher's on distill/evaltext, `npm run bench:voice`). Re-measure after retraining.
DURATION_SCALE = 1.05
ACOUSTIC_QUANTIZATION = "int8 weights (MatMul, Gemm), dynamic activations; convolutions and the rest float32"


def quantize_acoustic(src: Path, dst: Path) -> None:
    """int8 weights for MatMul/Gemm with dynamic activation scales; the
    convolutions stay float. Chosen by measurement in onnxruntime-web's wasm
    backend (the Worker's runtime): its ConvInteger is about 10x native and
    slower than its float Conv, so int8 convolutions made the whole acoustic
    pass about 2x slower there, while int8 MatMuls beat float ones. The
    acoustic model runs once per clause, so per-run scales cost nothing in
    streaming and keep durations closest to float (98.7% identical)."""
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QUInt8, op_types_to_quantize=ACOUSTIC_INT8_OPS)
    onnx.checker.check_model(str(dst))


class _Features(CalibrationDataReader):
    """Each utterance as one streaming call: its frames and the zero frames that flush the look-ahead."""

    def __init__(self, features: list[np.ndarray], spec: dict):
        pad = spec["lookaheadFrames"]
        state = np.zeros(spec["stateShape"], np.float32)
        self.items = iter([{"features": np.pad(f, ((0, 0), (0, pad)))[None].astype(np.float32), "state": state,
                            "keep": keep_mask(spec["layers"], pad, 0, f.shape[1] + pad, f.shape[1])}
                           for f in features])

    def get_next(self):
        return next(self.items, None)


def quantize_vocoder(src: Path, dst: Path, calibration: list[np.ndarray], spec: dict) -> None:
    """int8 weights and calibrated (static) activation scales for the MatMuls,
    which hold most weights and compute. Static scales make each frame's output
    independent of the rest of the window, so streamed windows give exactly the
    whole-utterance audio; dynamic scales did not (-27 dB differences). The
    convolutions stay float: quantising the input conv's activations cost
    more accuracy (0.32 vs 0.14 dB log-spectral distance) than it saved."""
    quantize_static(str(src), str(dst), _Features(calibration, spec), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=["MatMul"], per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                    nodes_to_exclude=_input_convolution(src, spec))
    onnx.checker.check_model(str(dst))


def _input_convolution(path: Path, spec: dict) -> list[str]:
    """The MatMul that computes the vocoder's input convolution (models._conv_valid), found by its weight's rows
    (kernel x input channels). It stays float, like the convolution it replaces."""
    model = onnx.load(str(path))
    kernel = 2 * spec["lookaheadFrames"] // spec["layers"] + 1
    rows = kernel * next(d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:2])
    shapes = {t.name: tuple(t.dims) for t in model.graph.initializer}
    names = [n.name for n in model.graph.node if n.op_type == "MatMul" and shapes.get(n.input[1], (0,))[0] == rows]
    assert len(names) == 1, names
    return names


def calibration_features(count: int = 20) -> list[np.ndarray]:
    """Teacher features of training utterances, spread over the corpus."""
    utts = load_teacher()
    return [u.z for u in utts[::max(1, len(utts) // count)][:count]]


def write_voices(out: Path) -> list[dict]:
    vdir = out / "voices"
    vdir.mkdir(parents=True, exist_ok=True)
    listing = []
    for vid, meta in VOICES.items():
        voice_vector(vid).astype("<f4").tofile(vdir / f"{vid}.bin")
        info = {"id": vid, **meta, "sampleRate": SAMPLE_RATE, "dim": VOICE_DIM}
        (vdir / f"{vid}.json").write_text(json.dumps(info, indent=2) + "\n")
        listing.append({"id": vid, "file": f"voices/{vid}.bin", "meta": f"voices/{vid}.json"})
    return listing


def manifest(voices: list[dict], steps: dict[str, int], stream: dict) -> dict:
    _, config_path = teacher_files()
    return {
        "version": 1,
        "frontendVersion": FRONTEND_VERSION,
        "sampleRate": SAMPLE_RATE, "hopSize": HOP, "nFft": N_FFT, "window": "hann",
        "featureDim": FEATURE_DIM, "voiceDim": VOICE_DIM,
        "phonemes": {"pad": "_", "bos": "^", "eos": "$", "intersperse": True,
                     "idMap": phonemize.load_id_map(str(config_path))},
        "acoustic": {"file": "acoustic.int8.onnx", "trainedSteps": steps["acoustic"],
                     "quantization": ACOUSTIC_QUANTIZATION, "durationScale": DURATION_SCALE,
                     "inputs": {"ids": {"type": "int64", "shape": [1, "T"]},
                                "voice": {"type": "float32", "shape": [1, VOICE_DIM]},
                                "length_scale": {"type": "float32", "shape": [1]}},
                     "outputs": {"durations": {"type": "int64", "shape": [1, "T"]},
                                 "features": {"type": "float32", "shape": [1, FEATURE_DIM, "N"]}}},
        "vocoder": {"file": "vocoder.int8.onnx", "trainedSteps": steps["vocoder"],
                    "quantization": "int8 weights and static activations (MatMul, QDQ); convolutions float32",
                    "streaming": stream,
                    "inputs": {"features": {"type": "float32", "shape": [1, FEATURE_DIM, "N"]},
                               "state": {"type": "float32", "shape": stream["stateShape"]},
                               "keep": {"type": "float32", "shape": [stream["layers"], "N"]}},
                    "outputs": {"magnitude": {"type": "float32", "shape": [1, N_FFT // 2 + 1, "N"]},
                                "state_out": {"type": "float32", "shape": stream["stateShape"]}},
                    "istft": {"center": True, "window": "hann-periodic", "nFft": N_FFT, "hop": HOP}},
        "voices": voices,
        # Both files are saved already optimised at this level; the Worker loads them without optimising again.
        "optimized": OPTIMIZED_BY,
    }


def export_all(out: Path = MODELS) -> None:
    fp32 = WORK / "onnx"
    fp32.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    steps = {name: _trained_steps(name) for name in ("acoustic", "vocoder")}
    export_acoustic(load_model("acoustic"), fp32 / "acoustic.onnx")
    quantize_acoustic(fp32 / "acoustic.onnx", fp32 / "acoustic.int8.onnx")
    optimize(fp32 / "acoustic.int8.onnx", out / "acoustic.int8.onnx")
    vocoder = load_model("vocoder")
    stream = vocoder_stream_spec(vocoder)
    export_vocoder(vocoder, fp32 / "vocoder.onnx")
    quantize_vocoder(fp32 / "vocoder.onnx", fp32 / "vocoder.int8.onnx", calibration_features(), stream)
    optimize(fp32 / "vocoder.int8.onnx", out / "vocoder.int8.onnx")
    voices = write_voices(out)
    (out / "manifest.json").write_text(json.dumps(manifest(voices, steps, stream), indent=2, ensure_ascii=False) + "\n")
    print("exported", *(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in sorted(out.glob("*.onnx"))))


def requantize_acoustic(out: Path = MODELS) -> None:
    """Without the teacher dump (the vocoder's calibration data): re-exports and
    re-quantises the acoustic model from its weights, optimises the shipped
    vocoder file in place, and updates the manifest's acoustic fields."""
    fp32 = WORK / "onnx"
    fp32.mkdir(parents=True, exist_ok=True)
    export_acoustic(load_model("acoustic"), fp32 / "acoustic.onnx")
    quantize_acoustic(fp32 / "acoustic.onnx", fp32 / "acoustic.int8.onnx")
    optimize(fp32 / "acoustic.int8.onnx", out / "acoustic.int8.onnx")
    optimize(out / "vocoder.int8.onnx", out / "vocoder.int8.onnx")
    path = out / "manifest.json"
    m = json.loads(path.read_text())
    m["acoustic"]["quantization"] = ACOUSTIC_QUANTIZATION
    m["optimized"] = OPTIMIZED_BY
    m["acoustic"]["durationScale"] = DURATION_SCALE
    m["acoustic"]["trainedSteps"] = _trained_steps("acoustic")
    m["frontendVersion"] = FRONTEND_VERSION
    path.write_text(json.dumps(m, indent=2, ensure_ascii=False) + "\n")
    print("requantized", *(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in sorted(out.glob("*.onnx"))))


def _trained_steps(name: str) -> int:
    state = latest_weights(name)
    return int(state["step"]) if state else 0
