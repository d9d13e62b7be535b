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
        # Pitch per id (pitch.py's normalised log-F0), predicted from the encoder and added back to it, FastPitch
        # style. The embedding starts at zero, so weights trained without it start from their old behaviour.
        self.pitch_head = nn.Sequential(nn.Conv1d(d, d, 3, padding=1), nn.GELU(), nn.Conv1d(d, 1, 1))
        self.pitch_embed = nn.Conv1d(1, d, 3, padding=1)
        nn.init.zeros_(self.pitch_embed.weight)
        nn.init.zeros_(self.pitch_embed.bias)
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

    def predict_pitch(self, h: torch.Tensor) -> torch.Tensor:
        """hidden (B, C, T) -> normalised log-F0 per id (B, T)."""
        return self.pitch_head(h).squeeze(1)

    def with_pitch(self, h: torch.Tensor, pitch: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The hidden states the frame decoder reads: the encoder's plus the embedded pitch (B, T) of each id."""
        return h + self.pitch_embed(pitch[:, None, :]) * mask[:, None, :].float()

    def encode_served(self, ids: torch.Tensor, voice: torch.Tensor, mask: torch.Tensor):
        """As served: the decoder's hidden states with the predicted pitch, and the log-durations."""
        h, logd = self.encode(ids, voice, mask)
        return self.with_pitch(h, self.predict_pitch(h), mask), logd

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


def _conv_valid(buf: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
    """`conv` without padding over `buf` (1, C, m + k - 1) -> (1, C', m), written so that every output frame is
    computed in the same order whatever the call's length: onnxruntime's Conv kernels round differently for
    different lengths, and one flipped int8 activation downstream changes the audio, so a streamed run would not give
    the bits of a whole one. A depthwise convolution becomes k shifted multiply-adds; a full one a MatMul of the k
    shifted copies stacked along channels, frames as rows (a MatMul's rows do not depend on how many there are; its
    columns do)."""
    k = conv.kernel_size[0]
    taps = [buf[:, :, i:(i - k + 1) or None] for i in range(k)]  # each (1, C, m)
    if conv.groups == conv.in_channels == conv.out_channels:
        w = conv.weight[:, 0, :]  # (C, k)
        y = conv.bias[None, :, None] + w[None, :, 0:1] * taps[0]
        for i in range(1, k):
            y = y + w[None, :, i:i + 1] * taps[i]
        return y
    assert conv.groups == 1
    w = conv.weight.permute(2, 1, 0).reshape(k * conv.in_channels, conv.out_channels)  # [i*C + c, o] = weight[o, c, i]
    return (torch.matmul(torch.cat(taps, dim=1).transpose(1, 2), w) + conv.bias).transpose(1, 2)


class StreamingVocoder(nn.Module):
    """The vocoder's graph for streaming: the same weights and, frame for frame, the same magnitudes as running
    `Vocoder` over the whole utterance, but fed a few frames at a time with each convolution's recent input carried
    in `state`, so no frame is computed twice.

    Every convolution in the vocoder spans k frames and everything else works per frame, so a layer can produce
    output frame t as soon as its input reaches t + k//2: each layer lags its input by k//2
    frames and keeps the last k-1 input frames as state. Whole-utterance zero padding is reproduced by masking
    every layer's output outside the run to zero (`keep`); a zero initial state is the left padding, and `lookahead`
    zero feature frames fed after the last real one flush the right edge.

    Inputs: features (1, C, m), the frames at absolute positions offset .. offset+m-1; state (1, channels of every
    layer's input together, k-1); keep (layers, m): 1 where layer i's output position offset - (i+1)*k//2 + j lies in
    the run, else 0 (`stream.keep_mask`; the caller computes it, which keeps the graph free of index arithmetic). Outputs:
    magnitude (1, bins, m) for positions offset-lookahead .. , and the state for the next call. The phase output of
    `Vocoder` is not exported: the Worker rebuilds phase from magnitudes.
    """

    def __init__(self, vocoder: Vocoder):
        super().__init__()
        self.v = vocoder
        self.pad = vocoder.inp.kernel_size[0] // 2
        self.layers = 1 + len(vocoder.blocks)
        widths = [vocoder.inp.in_channels] + [b.dw.in_channels for b in vocoder.blocks]
        self.rows = [sum(widths[:i]) for i in range(len(widths) + 1)]  # each layer's channels within the state

    @property
    def lookahead(self) -> int:
        return self.pad * self.layers

    def initial_state(self) -> torch.Tensor:
        return torch.zeros(1, self.rows[-1], 2 * self.pad)

    def forward(self, features: torch.Tensor, state: torch.Tensor, keep: torch.Tensor):
        v, p = self.v, self.pad
        states = []

        def layer(index: int, x: torch.Tensor, conv: nn.Conv1d):
            buf = torch.cat([state[:, self.rows[index]:self.rows[index + 1]], x], dim=2)  # (1, C, 2p + m)
            states.append(buf[:, :, -2 * p:])
            y = _conv_valid(buf, conv)  # (1, C, m)
            return buf[:, :, p:-p], y, keep[index:index + 1][None]

        _, y, inside = layer(0, features, v.inp)
        x = v.norm(y.transpose(1, 2)).transpose(1, 2) * inside
        for i, block in enumerate(v.blocks):
            centre, y, inside = layer(i + 1, x, block.dw)
            y = block.pw2(F.gelu(block.pw1(block.norm(y.transpose(1, 2)))))
            x = (centre + (block.scale * y).transpose(1, 2)) * inside
        # Only the head's log-magnitude rows: the phase rows are never computed.
        logmag = F.linear(v.final_norm(x.transpose(1, 2)), v.head.weight[:v.bins], v.head.bias[:v.bins]).transpose(1, 2)
        return torch.exp(logmag.clamp(max=6.0)), torch.cat(states, 1)
