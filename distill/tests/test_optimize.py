import numpy as np
import onnx
import onnxruntime as ort
import torch

from distill.config import AcousticConfig, VocoderConfig
from distill.export import export_acoustic, export_vocoder, quantize_acoustic, quantize_vocoder, vocoder_stream_spec
from distill.models import AcousticModel, Vocoder
from distill.stream import keep_mask
from distill.optimize import OPTIMIZED_BY, optimize, unsupported_ops


def _run(path, feeds, level=ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.graph_optimization_level = level
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"]).run(None, feeds)


def test_optimised_acoustic_gives_the_same_outputs_unoptimised(tmp_path):
    torch.manual_seed(0)
    model = AcousticModel(AcousticConfig(dim=32, enc_conv_layers=1, enc_attn_layers=1, dec_layers=1)).eval()
    export_acoustic(model, tmp_path / "a.onnx")
    quantize_acoustic(tmp_path / "a.onnx", tmp_path / "a8.onnx")
    optimize(tmp_path / "a8.onnx", tmp_path / "a8.opt.onnx")
    feeds = {"ids": np.array([[1, 0, 20, 0, 59, 0, 14, 0, 2]], np.int64), "voice": np.zeros((1, 64), np.float32),
             "length_scale": np.ones(1, np.float32)}
    ref = _run(tmp_path / "a8.onnx", feeds)
    got = _run(tmp_path / "a8.opt.onnx", feeds, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)  # as the Worker loads it
    assert (ref[0] == got[0]).all() and np.array_equal(ref[1], got[1])
    # Float convolutions, int8 MatMuls (chosen by measurement in wasm, see quantize_acoustic).
    ops = {n.op_type for n in onnx.load(str(tmp_path / "a8.opt.onnx")).graph.node}
    assert "ConvInteger" not in ops and "Conv" in ops and "DynamicQuantizeMatMul" in ops
    assert {p.key: p.value for p in onnx.load(str(tmp_path / "a8.opt.onnx")).metadata_props}["optimized"] == OPTIMIZED_BY
    assert unsupported_ops(tmp_path / "a8.opt.onnx") == []


def test_optimised_vocoder_gives_the_same_outputs_unoptimised(tmp_path):
    torch.manual_seed(0)
    voc = Vocoder(VocoderConfig(dim=32, inter=64, layers=2)).eval()
    export_vocoder(voc, tmp_path / "v.onnx")
    rng = np.random.default_rng(0)
    quantize_vocoder(tmp_path / "v.onnx", tmp_path / "v8.onnx",
                     [rng.standard_normal((192, 30)).astype(np.float32) * 0.1 for _ in range(4)], vocoder_stream_spec(voc))
    optimize(tmp_path / "v8.onnx", tmp_path / "v8.opt.onnx")
    feeds = {"features": rng.standard_normal((1, 192, 20)).astype(np.float32) * 0.1,
             "state": np.zeros(vocoder_stream_spec(voc)["stateShape"], np.float32),
             "keep": keep_mask(3, 6, 3, 20, 15)}
    ref = _run(tmp_path / "v8.onnx", feeds)
    got = _run(tmp_path / "v8.opt.onnx", feeds, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    assert all(np.array_equal(r, g) for r, g in zip(ref, got))
    assert "QLinearMatMul" in {n.op_type for n in onnx.load(str(tmp_path / "v8.opt.onnx")).graph.node}
