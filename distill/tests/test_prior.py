"""Pitch and duration targets for unspoken text (prior.py) and the batches the acoustic model trains on from them."""
import numpy as np
import torch

from distill import data
from distill.prior import Labeller


def test_labeller_gives_a_pitch_and_a_voicing_logit_per_id_and_zero_targets_where_unvoiced():
    torch.manual_seed(0)
    model = Labeller(dim=16, layers=1).eval()
    mp, logd = torch.randn(2, 192, 9), torch.zeros(2, 9)
    pitch, voiced = model(mp, logd)
    assert pitch.shape == voiced.shape == (2, 9)
    targets = model.targets(mp, logd)
    assert torch.equal(targets[voiced <= 0], torch.zeros_like(targets[voiced <= 0]))
    assert torch.equal(targets[voiced > 0], pitch[voiced > 0])


def test_labeller_reach_is_local_so_a_chunk_labels_the_same_inside_longer_context():
    torch.manual_seed(0)
    model = Labeller(dim=16, layers=2).eval()
    mp = torch.randn(1, 192, 60)
    logd = torch.rand(1, 60)
    whole, _ = model(mp, logd)
    part, _ = model(mp[:, :, 10:50], logd[:, 10:50])
    # 2 layers of kernel 7 reach 6 ids: away from the cut the labels agree
    assert torch.allclose(whole[0, 16:44], part[0, 6:34], atol=1e-5)
    assert not torch.allclose(whole[0, 10:13], part[0, 0:3], atol=1e-5)


def test_unspoken_chunks_load_in_order_and_batch_with_a_mask(tmp_path):
    for name, n in (("x00001-00", 5), ("x00000-00", 3), ("c00000-00", 4)):
        np.savez(tmp_path / f"{name}.npz", ids=np.arange(1, n + 1, dtype=np.int16),
                 durations=np.full(n, 2, np.int16), mp=np.zeros((192, n), np.float16))
        if name.startswith("x"):
            np.save(tmp_path / f"{name}.pitch.npy", np.linspace(-1, 1, n).astype(np.float32))
    utts = data.load_unspoken(tmp_path)
    assert [len(u.ids) for u in utts] == [3, 5]  # only labelled x-chunks, in id order
    b = data.unspoken_batch(utts, np.random.default_rng(0), 4)
    assert b["ids"].shape == b["durations"].shape == b["pitch"].shape == (2, 5)
    assert b["id_mask"].sum().item() == 8
    assert (b["durations"][~b["id_mask"]] == 0).all() and (b["ids"][~b["id_mask"]] == 0).all()
