import numpy as np
import torch

from distill.config import AcousticConfig, VocoderConfig
from distill.models import AcousticModel, StreamingVocoder, Vocoder, expand, istft
from distill.stream import stream_magnitudes, synthesize_whole, worker_throughs

torch.manual_seed(0)


def test_expand_repeats_each_id_by_its_duration():
    h = torch.arange(3.0)[None, None, :]
    out = expand(h, torch.tensor([[2, 0, 3]]))
    assert out[0, 0].tolist() == [0, 0, 2, 2, 2]
    assert torch.allclose(out[0, 1], torch.tensor([0.25, 0.75, 1 / 6, 0.5, 5 / 6]))


def test_acoustic_shapes():
    model = AcousticModel(AcousticConfig(dim=32, enc_conv_layers=1, enc_attn_layers=1, dec_layers=1)).eval()
    ids = torch.randint(3, 100, (2, 9))
    h, logd = model.encode(ids, torch.zeros(2, 64), torch.ones(2, 9, dtype=torch.bool))
    assert h.shape == (2, 32, 9) and logd.shape == (2, 9)
    feats = model.decode(h, torch.full((2, 9), 2), torch.zeros(2, 64))
    assert feats.shape == (2, 192, 18)


def test_vocoder_and_istft_lengths():
    voc = Vocoder(VocoderConfig(dim=32, inter=64, layers=2)).eval()
    real, imag = voc(torch.randn(1, 192, 10))
    assert real.shape == (1, 513, 10)
    assert istft(real, imag).shape == (1, 2560)


def test_streaming_vocoder_matches_whole_utterance_for_any_split():
    """StreamingVocoder (the exported graph) fed a few frames at a time gives Vocoder's magnitudes over the whole
    utterance, zero padding at both edges included, and vocodes each frame once plus the look-ahead flush."""
    torch.manual_seed(0)
    voc = Vocoder(VocoderConfig(dim=32, inter=64, layers=2)).eval()
    for block in voc.blocks:
        block.scale.data.fill_(1.0)  # make the blocks matter
    stream = StreamingVocoder(voc).eval()
    feats = torch.randn(192, 37)
    with torch.no_grad():
        real, imag = voc(feats[None])
        want = torch.sqrt(real * real + imag * imag)[0].numpy()

        def call(f, s, k):
            mag, state = stream(torch.from_numpy(f), torch.from_numpy(s), torch.from_numpy(k))
            return mag.numpy(), state.numpy()

        shape = tuple(stream.initial_state().shape)
        for throughs in (None, worker_throughs(37, 1, 1), worker_throughs(37, 7, 10)):
            got, fed = stream_magnitudes(call, feats.numpy(), stream.lookahead, shape, stream.layers, throughs)
            assert fed == 37 + stream.lookahead
            assert np.abs(got - want).max() < 1e-3 * max(1.0, np.abs(want).max())


def test_numpy_overlap_add_matches_torch_istft():
    real, imag = torch.randn(1, 513, 12), torch.randn(1, 513, 12)
    ref = istft(real, imag)[0].numpy()
    ours = synthesize_whole(lambda f: (real[0].numpy().astype(np.float64), imag[0].numpy().astype(np.float64)),
                            np.zeros((192, 12), np.float32))
    assert np.abs(ours - ref).max() < 1e-4
