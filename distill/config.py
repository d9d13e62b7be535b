"""Shapes and hyper-parameters shared by training, export and the Worker's manifest."""
from dataclasses import dataclass, field

SAMPLE_RATE = 22050
HOP = 256  # teacher's frame hop; the student vocoder works at this frame rate
N_FFT = 1024
FEATURE_DIM = 192  # teacher decoder input channels (VITS z)
VOICE_DIM = 64
N_SYMBOLS = 256  # Piper's phoneme id space
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2
OPSET = 17


@dataclass
class AcousticConfig:
    dim: int = 192
    enc_conv_layers: int = 3
    enc_attn_layers: int = 2
    heads: int = 2
    dec_layers: int = 4
    kernel: int = 5


@dataclass
class VocoderConfig:
    dim: int = 192
    inter: int = 512
    layers: int = 6
    kernel: int = 7

    @property
    def context_frames(self) -> int:
        """Frames of receptive field on each side (input conv + each block)."""
        return (self.kernel // 2) * (self.layers + 1)


@dataclass
class TrainConfig:
    steps: int = 4000
    batch: int = 16
    lr: float = 1e-3
    segment_frames: int = 32
    ckpt_every: int = 100
    seed: int = 1234
    extra: dict = field(default_factory=dict)
