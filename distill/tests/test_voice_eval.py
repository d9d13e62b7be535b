"""The served-voice figures on signals whose answer is known (no teacher, no Worker: seconds on CPU)."""
import numpy as np
import pytest

from distill import voice_eval as ve
from distill.config import SAMPLE_RATE


def tone(f0: float, seconds: float, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    # A few harmonics, like a voiced vowel.
    return amp * sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6))


def test_comb_reads_frame_periodic_artefact_high_and_noise_low():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(SAMPLE_RATE)
    assert abs(ve.comb(noise)) < 0.05
    period = rng.standard_normal(768)
    assert ve.comb(np.tile(period, 30)) > 0.99


def test_inner_pauses_finds_the_gap_between_words_only():
    silence = np.zeros(int(0.25 * SAMPLE_RATE))
    x = np.concatenate([silence, tone(120, 0.4), np.zeros(int(0.2 * SAMPLE_RATE)), tone(120, 0.4), silence])
    pauses = ve.inner_pauses(x)
    assert len(pauses) == 1  # leading and trailing silence are not pauses
    assert pauses[0] == pytest.approx(0.2, abs=0.02)
    assert ve.inner_pauses(tone(120, 0.5)) == []


def test_praat_tracks_a_steady_voice():
    pytest.importorskip("parselmouth")
    x = tone(150, 1.0)
    tracks = ve.praat_tracks(x)
    f0 = tracks["f0"][tracks["f0"] > 0]
    assert np.median(f0) == pytest.approx(150, rel=0.02)
    assert ve.voiced_fraction(tracks, x) > 0.9
    assert np.mean(tracks["hnr"]) > 20  # a clean periodic signal is very harmonic
    noisy = x + 0.3 * np.random.default_rng(1).standard_normal(len(x))
    assert np.mean(ve.praat_tracks(noisy)["hnr"]) < np.mean(tracks["hnr"]) - 10


def test_f0_agreement_counts_frames_within_100_cents():
    hop = 256 / SAMPLE_RATE
    n = 50
    teacher = {"f0": np.full(int(n * hop / ve.FRAME_S) + 2, 100.0)}
    close = {"f0": teacher["f0"] * 2 ** (50 / 1200)}  # 50 cents sharp: within
    far = {"f0": teacher["f0"] * 2 ** (300 / 1200)}  # 300 cents: not
    path = [(i, i) for i in range(n)]
    assert ve.f0_agreement(teacher, close, path, hop, hop) == (n, n)
    assert ve.f0_agreement(teacher, far, path, hop, hop) == (0, n)
    unvoiced = {"f0": np.zeros_like(teacher["f0"])}
    assert ve.f0_agreement(teacher, unvoiced, path, hop, hop) == (0, 0)


def test_eval_text_is_the_projects_own_and_not_training_text():
    texts = ve.sentences()
    assert len(texts) >= 40
    from distill.paths import DEV_SENTENCES

    if DEV_SENTENCES.exists():
        assert not set(texts) & set(DEV_SENTENCES.read_text().splitlines())
