"""Losses. The vocoder is supervised on the teacher's own spectrum frame by
frame (same framing as its output), which makes phase a regression target
instead of something a GAN has to discover, plus a multi-resolution STFT
loss on the reconstructed waveform for overlap-add consistency."""
import torch
import torch.nn.functional as F

from .config import HOP, N_FFT


def frame_spectrum(audio_with_margin: torch.Tensor) -> torch.Tensor:
    """Complex (B, bins, frames): frame j centred at margin + j*HOP."""
    window = torch.hann_window(N_FFT, device=audio_with_margin.device)
    spec = torch.stft(audio_with_margin, N_FFT, HOP, N_FFT, window, center=False, return_complex=True)
    return spec[:, :, :(audio_with_margin.shape[-1] - N_FFT) // HOP]


def spectral_loss(real: torch.Tensor, imag: torch.Tensor, target: torch.Tensor) -> dict[str, torch.Tensor]:
    pred = torch.complex(real, imag)
    pmag, tmag = pred.abs() + 1e-5, target.abs() + 1e-5
    logmag = F.l1_loss(pmag.log(), tmag.log())
    # Power-law compressed complex spectra: phase errors count where there is energy.
    pc = pred / pmag * pmag ** 0.3
    tc = target / tmag * tmag ** 0.3
    complex_l = F.mse_loss(torch.view_as_real(pc), torch.view_as_real(tc))
    return {"logmag": logmag, "complex": complex_l}


def multi_resolution_stft_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    total = pred.new_zeros(())
    for n_fft, hop in ((512, 128), (1024, 256), (2048, 512)):
        window = torch.hann_window(n_fft, device=pred.device)
        p = torch.stft(pred, n_fft, hop, n_fft, window, return_complex=True).abs() + 1e-5
        t = torch.stft(target, n_fft, hop, n_fft, window, return_complex=True).abs() + 1e-5
        sc = torch.linalg.norm(t - p) / torch.linalg.norm(t)
        total = total + sc + F.l1_loss(p.log(), t.log())
    return total / 3


def masked_l1(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """pred/target (B, C, N), mask (B, N)."""
    m = mask[:, None, :].float()
    return ((pred - target).abs() * m).sum() / (m.sum() * pred.shape[1])
