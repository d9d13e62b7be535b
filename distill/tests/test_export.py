import numpy as np
import onnxruntime as ort
import torch

from distill.config import HOP, N_FFT, AcousticConfig, VocoderConfig
from distill.export import (AcousticForOnnx, export_acoustic, export_vocoder, quantize_acoustic, quantize_vocoder,
                            vocoder_stream_spec)
from distill.losses import frame_spectrum
from distill.stream import keep_mask
from distill.models import AcousticModel, StreamingVocoder, Vocoder, istft

torch.manual_seed(0)


def _session(path):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def test_acoustic_onnx_matches_torch(tmp_path):
    torch.manual_seed(0)
    model = AcousticModel(AcousticConfig(dim=32, enc_conv_layers=1, enc_attn_layers=1, dec_layers=1)).eval()
    export_acoustic(model, tmp_path / "a.onnx")
    ids = np.array([[1, 0, 20, 0, 59, 0, 14, 0, 2]], dtype=np.int64)
    voice = np.zeros((1, 64), np.float32)
    scale = np.array([1.3], np.float32)
    dur, feats = _session(tmp_path / "a.onnx").run(None, {"ids": ids, "voice": voice, "length_scale": scale})
    with torch.no_grad():
        tdur, tfeats = AcousticForOnnx(model)(torch.from_numpy(ids), torch.from_numpy(voice), torch.from_numpy(scale))
    assert (dur == tdur.numpy()).all()
    assert feats.shape == (1, 192, int(dur.sum()))
    assert np.abs(feats - tfeats.numpy()).max() < 1e-4


def test_vocoder_int8_is_close_to_float(tmp_path):
    torch.manual_seed(0)
    voc = Vocoder(VocoderConfig(dim=32, inter=64, layers=2)).eval()
    export_vocoder(voc, tmp_path / "v.onnx")
    rng = np.random.default_rng(0)
    quantize_vocoder(tmp_path / "v.onnx", tmp_path / "v8.onnx",
                     [rng.standard_normal((192, 30)).astype(np.float32) * 0.1 for _ in range(4)], vocoder_stream_spec(voc))
    spec = vocoder_stream_spec(voc)
    x = rng.standard_normal((1, 192, 20)).astype(np.float32) * 0.1
    feeds = {"features": x, "state": np.zeros(spec["stateShape"], np.float32),
             "keep": keep_mask(spec["layers"], spec["lookaheadFrames"], 0, 20, 20)}
    ref = _session(tmp_path / "v.onnx").run(None, feeds)
    q = _session(tmp_path / "v8.onnx").run(None, feeds)
    with torch.no_grad():
        t = StreamingVocoder(voc)(*(torch.from_numpy(v) for v in feeds.values()))
    assert np.abs(ref[0] - t[0].numpy()).max() < 1e-3 and np.abs(ref[1] - t[1].numpy()).max() < 1e-4
    assert q[0].shape == ref[0].shape and np.isfinite(q[0]).all()
    assert np.abs(q[0] - ref[0]).mean() < 0.1 * np.abs(ref[0]).mean()


def test_acoustic_int8_keeps_durations(tmp_path):
    model = AcousticModel(AcousticConfig(dim=32, enc_conv_layers=1, enc_attn_layers=1, dec_layers=1)).eval()
    export_acoustic(model, tmp_path / "a.onnx")
    quantize_acoustic(tmp_path / "a.onnx", tmp_path / "a8.onnx")
    feeds = {"ids": np.array([[1, 0, 20, 0, 59, 0, 2]], np.int64), "voice": np.zeros((1, 64), np.float32),
             "length_scale": np.ones(1, np.float32)}
    dur, _ = _session(tmp_path / "a.onnx").run(None, feeds)
    dur8, feats8 = _session(tmp_path / "a8.onnx").run(None, feeds)
    assert dur8.shape == dur.shape and feats8.shape[2] == dur8.sum()


def test_teacher_spectrum_framing_inverts_exactly():
    """The vocoder's targets use the same framing as its output: the inverse STFT
    of the target spectrum gives the audio back, so the targets are aligned."""
    audio = torch.randn(1, 20 * HOP + N_FFT) * 0.1
    spec = frame_spectrum(audio)
    assert spec.shape[-1] == 20
    rec = istft(spec.real, spec.imag)
    inner = slice(2 * HOP, -2 * HOP)
    assert torch.allclose(rec[:, inner], audio[:, N_FFT // 2:-N_FFT // 2][:, inner], atol=1e-5)


def test_audio_frames_cut_the_samples_under_those_frames():
    """The acoustic model's spectral loss compares frames s.. of its crop with the teacher audio under the same
    frames: audio_frames must frame exactly like the whole utterance's spectrum does, edges included."""
    from distill.data import audio_frames
    audio = torch.randn(2, 30 * HOP)
    margin = N_FFT // 2
    whole = frame_spectrum(torch.nn.functional.pad(audio, (margin, margin)))  # frames 0..29
    for first, frames in ((0, 5), (7, 10), (25, 5)):
        part = frame_spectrum(audio_frames(audio, first, frames))
        assert part.shape[-1] == frames
        assert torch.allclose(part, whole[:, :, first:first + frames], atol=1e-4)
