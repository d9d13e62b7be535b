"""The student: an acoustic model (phoneme ids + voice vector -> durations and
frame features) and a Vocos-style vocoder (features -> one-sided spectrum,
inverse STFT done outside the graph so it can stream)."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .config import FEATURE_DIM, N_FFT, N_SYMBOLS, VOICE_DIM, AcousticConfig, VocoderConfig


class ConvNeXtBlock(nn.Module):
    """Depthwise conv + pointwise MLP, residual. Input (B, C, L)."""

    def __init__(self, dim: int, inter: int, kernel: int):
        super().__init__()
        self.dw = nn.Conv1d(dim, dim, kernel, padding=kernel // 2, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pw1 = nn.Linear(dim, inter)
        self.pw2 = nn.Linear(inter, dim)
        self.scale = nn.Parameter(torch.full((dim,), 0.1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.dw(x).transpose(1, 2)
        y = self.pw2(F.gelu(self.pw1(self.norm(y))))
        return x + (self.scale * y).transpose(1, 2)


class SelfAttention(nn.Module):
    """Plain multi-head attention written with matmuls so ONNX export is simple."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """x (B, T, C); mask (B, T) bool, True for real tokens."""
        b, t, c = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(c // self.heads)
        att = att.masked_fill(~mask[:, None, None, :], -1e4).softmax(-1)
        x = x + self.out((att @ v).transpose(1, 2).reshape(b, t, c))
        return x + self.ff(self.norm2(x))


def expand(h: torch.Tensor, durations: torch.Tensor) -> torch.Tensor:
    """Repeat each id's vector by its duration.

    h (B, C, T), durations (B, T) int -> (B, C + 2, N): the vector, plus the
    frame's relative position inside its phoneme id and the log duration,
    which tell the frame decoder where it is within a sound. Written with
    cumsum + gather so it exports to ONNX.
    """
    ends = torch.cumsum(durations, dim=1)  # (B, T)
    n = int(ends.max()) if not torch.onnx.is_in_onnx_export() else ends[:, -1].max()
    frames = torch.arange(n, device=h.device)[None, :]  # (1, N)
    index = (frames[:, :, None] >= ends[:, None, :]).sum(-1)  # (B, N)
    index = index.clamp(max=durations.shape[1] - 1)
    starts = ends - durations
    start = torch.gather(starts, 1, index)
    dur = torch.gather(durations, 1, index).clamp(min=1)
    rel = ((frames - start).float() + 0.5) / dur.float()
    out = torch.gather(h, 2, index[:, None, :].expand(-1, h.shape[1], -1))
    return torch.cat([out, rel[:, None, :], torch.log(dur.float())[:, None, :]], 1)


class AcousticModel(nn.Module):
    def __init__(self, cfg: AcousticConfig = AcousticConfig()):
        super().__init__()
        d = cfg.dim
        self.embed = nn.Embedding(N_SYMBOLS, d)
        self.voice = nn.Linear(VOICE_DIM, d)
        self.enc_convs = nn.ModuleList(ConvNeXtBlock(d, 2 * d, cfg.kernel) for _ in range(cfg.enc_conv_layers))
        self.enc_attn = nn.ModuleList(SelfAttention(d, cfg.heads) for _ in range(cfg.enc_attn_layers))
        self.dur_head = nn.Sequential(nn.Conv1d(d, d, 3, padding=1), nn.GELU(), nn.Conv1d(d, 1, 1))
        self.frame_in = nn.Conv1d(d + 2, d, 1)
        self.dec = nn.ModuleList(ConvNeXtBlock(d, 3 * d, 7) for _ in range(cfg.dec_layers))
        self.frame_out = nn.Conv1d(d, FEATURE_DIM, 1)

    def encode(self, ids: torch.Tensor, voice: torch.Tensor, mask: torch.Tensor):
        """ids (B, T), voice (B, D) -> hidden (B, C, T), log-duration (B, T)."""
        m = mask[:, None, :].float()
        h = (self.embed(ids) + self.voice(voice)[:, None, :]).transpose(1, 2) * m
        for block in self.enc_convs:
            h = block(h) * m
        h = h.transpose(1, 2)
        for block in self.enc_attn:
            h = block(h, mask)
        h = h.transpose(1, 2) * m
        return h, self.dur_head(h).squeeze(1)

    def decode(self, h: torch.Tensor, durations: torch.Tensor, voice: torch.Tensor,
               window: slice = slice(None)) -> torch.Tensor:
        """Frame features (B, FEATURE_DIM, N) from hidden states and durations.
        `window` crops frames before the frame decoder (training on crops is cheaper)."""
        x = self.frame_in(expand(h, durations)[:, :, window]) + self.voice(voice)[:, :, None]
        for block in self.dec:
            x = block(x)
        return self.frame_out(x)


class Vocoder(nn.Module):
    """Frame features (B, 192, N) -> log-magnitude and phase direction per bin.

    forward returns (real, imag), each (B, N_FFT//2+1, N); the inverse STFT
    (centre-aligned frames, Hann window, hop 256) is applied by the caller.
    """

    def __init__(self, cfg: VocoderConfig = VocoderConfig()):
        super().__init__()
        self.bins = N_FFT // 2 + 1
        self.inp = nn.Conv1d(FEATURE_DIM, cfg.dim, cfg.kernel, padding=cfg.kernel // 2)
        self.norm = nn.LayerNorm(cfg.dim)
        self.blocks = nn.ModuleList(ConvNeXtBlock(cfg.dim, cfg.inter, cfg.kernel) for _ in range(cfg.layers))
        self.final_norm = nn.LayerNorm(cfg.dim)
        self.head = nn.Linear(cfg.dim, 3 * self.bins)

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.norm(self.inp(features).transpose(1, 2)).transpose(1, 2)
        for block in self.blocks:
            x = block(x)
        out = self.head(self.final_norm(x.transpose(1, 2))).transpose(1, 2)
        logmag, px, py = out.split(self.bins, dim=1)
        mag = torch.exp(logmag.clamp(max=6.0))
        # A direction vector instead of an angle: no atan2/wrap-around, exports as plain ops.
        r = torch.sqrt(px * px + py * py + 1e-7)
        return mag * px / r, mag * py / r


def istft(real: torch.Tensor, imag: torch.Tensor, hop: int = 256) -> torch.Tensor:
    """(B, bins, N) -> (B, N*hop). Matches the Worker's TypeScript iSTFT."""
    spec = torch.complex(real, imag)
    window = torch.hann_window(N_FFT, device=real.device)
    return torch.istft(spec, N_FFT, hop, N_FFT, window, center=True, length=real.shape[-1] * hop)
