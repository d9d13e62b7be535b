"""Offline graph optimisation for the shipped models, so the Worker loads them
without optimising again (session creation is the bulk of a fresh isolate's
model load: 526 ms for the acoustic model from the plain file, about 150 ms
pre-optimised, measured in onnxruntime-web).

The level is onnxruntime's "extended": constant folding, QDQ pairs folded into
QLinearMatMul, GELU/BiasGelu and MatMul fusions. Those are graph rewrites into
ops every CPU build has (onnxruntime-web's wasm EP included), not layouts for
one machine: the "all" level adds NCHWc layouts for x86 AVX, which wasm does
not have, so it is never written to a file here."""
from collections import Counter
from pathlib import Path

import onnx
import onnxruntime as ort

# Every op of the optimised shipped graphs, each loaded and run by onnxruntime-web 1.30's wasm backend with
# graphOptimizationLevel 'disabled' (scripts/bench-graphs.mjs, test/model.test.ts). A rewrite into anything else
# (a newer onnxruntime, another level) must be checked there before it ships.
WASM_OPS = {
    "": {"Add", "Cast", "Clip", "Concat", "Conv", "CumSum", "DequantizeLinear", "Div", "DynamicQuantizeLinear",
         "Equal", "Erf", "Exp", "Expand", "Gather", "GatherElements", "Gemm", "GreaterOrEqual", "LayerNormalization",
         "Log", "MatMul", "MatMulInteger", "Mul", "Not", "QLinearMatMul", "QuantizeLinear", "Range", "ReduceMax",
         "ReduceSum", "Reshape", "Round", "Shape", "Slice", "Softmax", "Split", "Sqrt", "Squeeze", "Sub", "Transpose",
         "Unsqueeze", "Where"},
    "com.microsoft": {"BiasGelu", "DynamicQuantizeMatMul", "FusedMatMul", "Gelu"},
}
LEVEL = "extended"
OPTIMIZED_BY = f"onnxruntime {ort.__version__} {LEVEL}"


def op_counts(path: Path) -> Counter:
    model = onnx.load(str(path))
    return Counter((n.domain or "", n.op_type) for n in model.graph.node)


def unsupported_ops(path: Path) -> list[str]:
    return sorted(f"{d}:{op}" for d, op in op_counts(path) if op not in WASM_OPS.get(d, set()))


def optimize(src: Path, dst: Path) -> None:
    """Writes `src` optimised at the extended level to `dst` (may be the same
    path) and checks every op in it is one onnxruntime-web runs."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    tmp = dst.with_suffix(".opt.tmp")
    opts.optimized_model_filepath = str(tmp)
    ort.InferenceSession(str(src), opts, providers=["CPUExecutionProvider"])
    model = onnx.load(str(tmp))
    tmp.unlink()
    # The Worker reads this to load the file with graphOptimizationLevel 'disabled' (src/model/ort.ts).
    del model.metadata_props[:]
    model.metadata_props.add(key="optimized", value=OPTIMIZED_BY)
    onnx.save(model, str(dst))
    bad = unsupported_ops(dst)
    if bad:
        raise ValueError(f"{dst.name}: ops not checked in onnxruntime-web's wasm backend: {', '.join(bad)}")
