"""Writes THROWAWAY models with the real I/O contract into .dev-models/ (gitignored) for worker development before
the real int8 export exists. Random weights: the output is noise, never speech. Never commit the output and never
use it in a test that claims speech. Usage: python3 scripts/dev-throwaway-models.py"""
import json, os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

out = os.path.join(os.path.dirname(__file__), '..', '.dev-models')
os.makedirs(os.path.join(out, 'voices'), exist_ok=True)
F, BINS, D = 192, 513, 64
rng = np.random.default_rng(0)

def c(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)

# acoustic: durations = round(5 * length_scale) per id (>=1); features = small noise-free ramp of shape [1,192,N]
nodes = [
    helper.make_node('Shape', ['ids'], ['ids_shape']),
    helper.make_node('Mul', ['length_scale', 'five'], ['ls5']),
    helper.make_node('Round', ['ls5'], ['ls5r']),
    helper.make_node('Max', ['ls5r', 'onef'], ['dur_f1']),
    helper.make_node('Cast', ['dur_f1'], ['dur_i1'], to=TensorProto.INT64),
    helper.make_node('Expand', ['dur_i1', 'ids_shape'], ['durations']),
    helper.make_node('ReduceSum', ['durations'], ['n'], keepdims=0),
    helper.make_node('Reshape', ['n', 'one_shape'], ['n1']),
    helper.make_node('Concat', ['prefix', 'n1'], ['feat_shape'], axis=0),
    helper.make_node('ConstantOfShape', ['feat_shape'], ['zeros'], value=helper.make_tensor('v', TensorProto.FLOAT, [1], [0.0])),
    helper.make_node('ReduceMean', ['voice'], ['vm'], keepdims=1),
    helper.make_node('Add', ['zeros', 'vm'], ['features']),
]
g = helper.make_graph(nodes, 'acoustic_throwaway', [
    helper.make_tensor_value_info('ids', TensorProto.INT64, [1, 'T']),
    helper.make_tensor_value_info('voice', TensorProto.FLOAT, [1, D]),
    helper.make_tensor_value_info('length_scale', TensorProto.FLOAT, [1]),
], [
    helper.make_tensor_value_info('durations', TensorProto.INT64, [1, 'T']),
    helper.make_tensor_value_info('features', TensorProto.FLOAT, [1, F, 'N']),
], [c('five', np.array([5.0], np.float32)), c('onef', np.array([1.0], np.float32)),
    c('one_shape', np.array([1], np.int64)), c('prefix', np.array([1, F], np.int64))])
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); m.ir_version = 8
onnx.checker.check_model(m); onnx.save(m, os.path.join(out, 'acoustic.int8.onnx'))

# vocoder: real/imag = W @ features (+ noise-like bias), shape [1,513,N]
W = (rng.standard_normal((BINS, F)) * 0.01).astype(np.float32)
nodes = [
    helper.make_node('MatMul', ['Wr', 'features'], ['real0']),
    helper.make_node('Add', ['real0', 'br'], ['real']),
    helper.make_node('MatMul', ['Wi', 'features'], ['imag']),
]
g = helper.make_graph(nodes, 'vocoder_throwaway', [helper.make_tensor_value_info('features', TensorProto.FLOAT, [1, F, 'N'])],
    [helper.make_tensor_value_info('real', TensorProto.FLOAT, [1, BINS, 'N']), helper.make_tensor_value_info('imag', TensorProto.FLOAT, [1, BINS, 'N'])],
    [c('Wr', W), c('Wi', W[::-1].copy()), c('br', (rng.standard_normal((BINS, 1)) * 0.5).astype(np.float32))])
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); m.ir_version = 8
onnx.checker.check_model(m); onnx.save(m, os.path.join(out, 'vocoder.int8.onnx'))

import importlib.util
idmap = {}
try:
    src = open(os.path.join(os.path.dirname(__file__), '..', 'src', 'phonemes', 'id-map.ts')).read()
    import re
    for sym, i in re.findall(r'\["((?:[^"\\]|\\.)*)",\s*(\d+)\]', src):
        idmap[json.loads('"' + sym + '"')] = int(i)
except OSError:
    idmap = {'_': 0, '^': 1, '$': 2}
json.dump({
    'version': 'throwaway-dev', 'sampleRate': 22050, 'hopSize': 256, 'nFft': 1024, 'window': 'hann', 'featureDim': F,
    'voiceDim': D, 'phonemes': {'idMap': idmap},
    'acoustic': {'file': 'acoustic.int8.onnx'}, 'vocoder': {'file': 'vocoder.int8.onnx', 'contextFrames': 4},
}, open(os.path.join(out, 'manifest.json'), 'w'), indent=1)
for vid, name in [('dev_a', 'Dev A'), ('dev_b', 'Dev B')]:
    rng.standard_normal(D).astype('<f4').tofile(os.path.join(out, 'voices', vid + '.bin'))
    json.dump({'id': vid, 'name': name, 'language': 'en-US', 'sampleRate': 22050, 'license': 'n/a',
               'source': 'throwaway', 'description': 'throwaway dev voice (noise)'}, open(os.path.join(out, 'voices', vid + '.json'), 'w'))
print('wrote', os.path.abspath(out))
