import numpy as np
import pytest
import torch

from distill.config import HOP, SAMPLE_RATE, AcousticConfig
from distill.models import AcousticModel
from distill.pitch import LOG_F0_MEAN, LOG_F0_STD, frame_f0, id_pitch


def test_frame_f0_finds_a_tone_at_each_frame_centre():
    n = 40
    t = np.arange(n * HOP) / SAMPLE_RATE
    audio = 0.5 * np.sin(2 * np.pi * 110 * t)
    audio[: 10 * HOP] = 0  # silence first: unvoiced
    f0 = frame_f0(audio)
    assert f0.shape == (n,)
    assert (f0[:8] == 0).all()
    assert np.allclose(f0[14:36], 110, rtol=0.02)


def test_id_pitch_averages_voiced_frames_per_id_in_normalised_log_f0():
    f0 = np.array([0, 0, 90, 90, 180, 0], float)
    target = id_pitch(f0, np.array([2, 2, 2]))
    assert target[0] == 0  # no voiced frame: the mean
    assert np.isclose(target[1], (np.log(90) - LOG_F0_MEAN) / LOG_F0_STD)
    assert np.isclose(target[2], (np.log(180) - LOG_F0_MEAN) / LOG_F0_STD)


def test_pitch_embedding_starts_at_zero_so_old_weights_keep_their_behaviour():
    torch.manual_seed(0)
    model = AcousticModel(AcousticConfig(dim=32, enc_conv_layers=1, enc_attn_layers=1, dec_layers=1)).eval()
    ids = torch.tensor([[1, 0, 20, 0, 59, 0, 2]])
    mask = torch.ones_like(ids, dtype=torch.bool)
    h, _ = model.encode(ids, torch.zeros(1, 64), mask)
    assert torch.equal(model.with_pitch(h, model.predict_pitch(h), mask), h)
    assert model.predict_pitch(h).shape == ids.shape


def test_pitch_relation_reads_a_flattened_contour():
    from distill.pitch_check import pitch_relation
    target = np.sin(np.linspace(0, 6, 200))
    corr, spread = pitch_relation(0.5 * target + 0.1, target)
    assert corr == pytest.approx(1.0) and spread == pytest.approx(0.5)
    corr, _ = pitch_relation(-target, target)
    assert corr == pytest.approx(-1.0)
