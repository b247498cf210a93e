"""HiFi-GAN: a GAN vocoder from mel spectrograms to raw waveforms.

Paper: HiFi-GAN: Generative Adversarial Networks for Efficient and High Fidelity
Speech Synthesis - https://arxiv.org/abs/2010.05646

The generator is fully convolutional: a 7-tap convolution lifts the mel spectrogram
to `upsample_initial_channel` channels, then each stage applies leaky ReLU and a
transposed convolution (stride $k_u/2$ = upsampling rate, channels halved) followed by
a multi-receptive field fusion (MRF) module, the fusion of residual blocks with
kernel sizes $k_r$ and dilations $D_r$. A final leaky ReLU, 7-tap convolution and tanh
give the waveform, `prod(upsample_rates)` samples per mel frame.

Two discriminators judge it. The multi-period discriminator (MPD) has one
sub-discriminator per period $p$: the 1-D signal of length $T$ is reflect-padded to a
multiple of $p$ and reshaped to a 2-D map $[T/p, p]$, so that stride-3 convolutions
with $(k, 1)$ kernels see samples spaced $p$ apart. The multi-scale discriminator
(MSD, from MelGAN) runs 1-D grouped convolutions on the raw audio and on two
average-pooled copies (x2, x4); the first uses spectral normalisation, the others
weight normalisation.

Losses (LSGAN, $\\lambda_{fm} = 2$, $\\lambda_{mel} = 45$), summed over sub-discriminators $D_k$:
$$L_D = \\sum_k \\mathbb{E}[(D_k(x) - 1)^2 + D_k(G(s))^2]$$
$$L_G = \\sum_k [\\mathbb{E}(D_k(G(s)) - 1)^2 + \\lambda_{fm} L_{FM}(G; D_k)] + \\lambda_{mel} \\|\\phi(x) - \\phi(G(s))\\|_1$$
where $L_{FM}$ is the mean L1 distance between the real and generated feature maps of
every layer of $D_k$ and $\\phi$ is the log-mel spectrogram.

Shapes: `forward(audio: [B, 1, T]) -> waveform [B, 1, T]` (generated from
`mel [B, n_mels, T / hop]`, hop = prod(upsample_rates)), the flattened and
concatenated logits of every MPD/MSD sub-discriminator for the real and the generated
audio `[B, N_mpd]`, `[B, N_msd]`, and the scalar losses `generator_loss`,
`discriminator_loss` (the latter computed on the detached generator output).
`Generator.forward(mel: [B, n_mels, F]) -> [B, 1, F * hop]` is the vocoder alone.

Hyperparameters: `upsample_rates` are $k_u/2$ (the transposed convolution kernels are
$k_u = 2 \\times$ rate, as in the paper's V1/V3), `resblock_kernel_sizes` are $k_r$,
`resblock_dilations` are $D_r$, `upsample_initial_channel` is $h_u$ (512 in V1), `periods`
are the MPD periods $p$ (2, 3, 5, 7, 11), `mpd_channels` and `msd_channels` the first
discriminator widths (32 and 128 in the paper), `segment_size` the training audio length
(8192), `lambda_fm` and `lambda_mel` are $\\lambda_{fm}$ and $\\lambda_{mel}$.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm, weight_norm

LRELU_SLOPE = 0.1


def _same_padding(kernel_size: int, dilation: int = 1) -> int:
    return (kernel_size * dilation - dilation) // 2


def _hz_to_mel(f: torch.Tensor) -> torch.Tensor:
    # Slaney mel scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
    log_step = math.log(6.4) / 27.0
    linear = f / (200.0 / 3.0)
    return torch.where(f >= 1000.0, 15.0 + torch.log(f.clamp(min=1e-10) / 1000.0) / log_step, linear)


def _mel_to_hz(m: torch.Tensor) -> torch.Tensor:
    log_step = math.log(6.4) / 27.0
    return torch.where(m >= 15.0, 1000.0 * torch.exp(log_step * (m - 15.0)), m * (200.0 / 3.0))


def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> torch.Tensor:
    """Slaney-normalised triangular mel filters (librosa's default): [n_mels, n_fft // 2 + 1]."""
    fft_freqs = torch.linspace(0.0, sample_rate / 2.0, n_fft // 2 + 1, dtype=torch.float64)
    edges = _mel_to_hz(
        torch.linspace(
            float(_hz_to_mel(torch.tensor(fmin, dtype=torch.float64))),
            float(_hz_to_mel(torch.tensor(fmax, dtype=torch.float64))),
            n_mels + 2,
            dtype=torch.float64,
        )
    )
    widths = edges.diff()
    ramps = edges[:, None] - fft_freqs[None, :]
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    weights = torch.clamp(torch.minimum(rising, falling), min=0.0)
    # Slaney normalisation: every filter has unit area in Hz
    weights = weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.float()


class LogMelSpectrogram(nn.Module):
    """$\\phi(x)$: log of the mel-filtered STFT magnitude, one frame per `hop` samples."""

    def __init__(self, sample_rate: int, n_mels: int, hop: int, fmin: float, fmax: float) -> None:
        super().__init__()
        # n_fft = window = 4 * hop, as in the paper (1024 / 256)
        self.hop, self.n_fft = hop, 4 * hop
        self.register_buffer("window", torch.hann_window(self.n_fft), persistent=False)
        self.register_buffer(
            "basis", mel_filterbank(sample_rate, self.n_fft, n_mels, fmin, fmax), persistent=False
        )

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        """audio: [B, 1, T] with T a multiple of hop -> log-mel [B, n_mels, T / hop]."""
        pad = (self.n_fft - self.hop) // 2
        x = F.pad(audio, (pad, pad), mode="reflect").squeeze(1)
        spec = torch.stft(x, self.n_fft, self.hop, window=self.window, center=False, return_complex=True)
        magnitude = torch.sqrt(spec.real.pow(2) + spec.imag.pow(2) + 1e-9)
        return torch.log(torch.clamp(self.basis @ magnitude, min=1e-5))


class ResBlock(nn.Module):
    """One MRF residual block: for each dilation d, x += conv_1(lrelu(conv_d(lrelu(x))))."""

    def __init__(self, channels: int, kernel_size: int, dilations: tuple[int, ...]) -> None:
        super().__init__()
        self.dilated = nn.ModuleList(
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, _same_padding(kernel_size, d), d))
            for d in dilations
        )
        self.plain = nn.ModuleList(
            weight_norm(nn.Conv1d(channels, channels, kernel_size, 1, _same_padding(kernel_size)))
            for _ in dilations
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, T] -> [B, C, T]."""
        for dilated, plain in zip(self.dilated, self.plain, strict=True):
            x = x + plain(F.leaky_relu(dilated(F.leaky_relu(x, LRELU_SLOPE)), LRELU_SLOPE))
        return x


class MultiReceptiveFieldFusion(nn.Module):
    """MRF: the residual blocks of every kernel size k_r read the same input; their outputs are fused."""

    def __init__(self, channels: int, kernel_sizes: tuple[int, ...], dilations: tuple[int, ...]) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(ResBlock(channels, k, dilations) for k in kernel_sizes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, T] -> [B, C, T]."""
        # The paper sums the blocks; the authors' code divides the sum by |k_r|, which we follow.
        return torch.stack([block(x) for block in self.blocks]).sum(0) / len(self.blocks)


class Generator(nn.Module):
    """Mel spectrogram to waveform: conv_pre, (lrelu, transposed conv, MRF) per stage, conv_post, tanh."""

    def __init__(
        self,
        n_mels: int,
        upsample_rates: tuple[int, ...],
        upsample_initial_channel: int,
        resblock_kernel_sizes: tuple[int, ...],
        resblock_dilations: tuple[int, ...],
    ) -> None:
        super().__init__()
        self.conv_pre = weight_norm(nn.Conv1d(n_mels, upsample_initial_channel, 7, 1, 3))
        self.ups, self.mrfs = nn.ModuleList(), nn.ModuleList()
        channels = upsample_initial_channel
        for rate in upsample_rates:
            # kernel k_u = 2 u and padding (k_u - u) / 2 give exactly u times more samples
            self.ups.append(
                weight_norm(nn.ConvTranspose1d(channels, channels // 2, 2 * rate, rate, rate // 2))
            )
            channels //= 2
            self.mrfs.append(MultiReceptiveFieldFusion(channels, resblock_kernel_sizes, resblock_dilations))
        self.conv_post = weight_norm(nn.Conv1d(channels, 1, 7, 1, 3))

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        """mel: [B, n_mels, F] -> waveform [B, 1, F * prod(upsample_rates)] in (-1, 1)."""
        x = self.conv_pre(mel)
        for up, mrf in zip(self.ups, self.mrfs, strict=True):
            x = mrf(up(F.leaky_relu(x, LRELU_SLOPE)))
        # The authors' code uses leaky ReLU's default slope (0.01) before conv_post.
        return torch.tanh(self.conv_post(F.leaky_relu(x)))


def fold_by_period(x: torch.Tensor, period: int) -> torch.Tensor:
    """[B, C, T] -> [B, C, ceil(T / p), p]: reflect-pad the end to a multiple of p, then row-major reshape."""
    length = x.shape[-1]
    if length % period:
        x = F.pad(x, (0, period - length % period), mode="reflect")
    return x.view(x.shape[0], x.shape[1], -1, period)


class PeriodDiscriminator(nn.Module):
    """MPD sub-discriminator: (5, 1) convolutions, stride (3, 1), on the period-p fold of the audio."""

    def __init__(self, period: int, channels: int) -> None:
        super().__init__()
        self.period = period
        widths = [1, channels, 4 * channels, 16 * channels, 32 * channels, 32 * channels]
        strides = [3, 3, 3, 3, 1]
        self.convs = nn.ModuleList(
            weight_norm(nn.Conv2d(c_in, c_out, (5, 1), (s, 1), (2, 0)))
            for c_in, c_out, s in zip(widths[:-1], widths[1:], strides, strict=True)
        )
        self.conv_post = weight_norm(nn.Conv2d(widths[-1], 1, (3, 1), 1, (1, 0)))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """x: [B, 1, T] -> (logits [B, N], feature maps of every layer)."""
        h = fold_by_period(x, self.period)
        features = []
        for conv in self.convs:
            h = F.leaky_relu(conv(h), LRELU_SLOPE)
            features.append(h)
        h = self.conv_post(h)
        features.append(h)
        return h.flatten(1), features


class ScaleDiscriminator(nn.Module):
    """MSD sub-discriminator (MelGAN's): strided, grouped 1-D convolutions on one audio scale."""

    def __init__(self, channels: int, spectral: bool) -> None:
        super().__init__()
        norm = spectral_norm if spectral else weight_norm
        c = channels
        # (in, out, kernel, stride, groups) of the paper's layers with 128 -> c channels
        layers = [
            (1, c, 15, 1, 1),
            (c, c, 41, 2, 4),
            (c, 2 * c, 41, 2, 16),
            (2 * c, 4 * c, 41, 4, 16),
            (4 * c, 8 * c, 41, 4, 16),
            (8 * c, 8 * c, 41, 1, 16),
            (8 * c, 8 * c, 5, 1, 1),
        ]
        self.convs = nn.ModuleList(
            norm(nn.Conv1d(i, o, k, s, _same_padding(k), groups=g)) for i, o, k, s, g in layers
        )
        self.conv_post = norm(nn.Conv1d(8 * c, 1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """x: [B, 1, T] -> (logits [B, N], feature maps of every layer)."""
        features = []
        for conv in self.convs:
            x = F.leaky_relu(conv(x), LRELU_SLOPE)
            features.append(x)
        x = self.conv_post(x)
        features.append(x)
        return x.flatten(1), features


class HiFiGAN(nn.Module):
    """Generator, multi-period and multi-scale discriminators, and the paper's training losses."""

    def __init__(
        self,
        n_mels: int = 16,
        sample_rate: int = 8000,
        upsample_rates: tuple[int, ...] = (4, 4),
        upsample_initial_channel: int = 32,
        resblock_kernel_sizes: tuple[int, ...] = (3, 7, 11),
        resblock_dilations: tuple[int, ...] = (1, 3, 5),
        periods: tuple[int, ...] = (2, 3, 5, 7, 11),
        mpd_channels: int = 2,
        msd_channels: int = 16,
        segment_size: int = 256,
        lambda_fm: float = 2.0,
        lambda_mel: float = 45.0,
    ) -> None:
        super().__init__()
        if upsample_initial_channel % 2 ** len(upsample_rates):
            raise ValueError("upsample_initial_channel must stay divisible by 2 at every upsampling stage")
        self.hop = math.prod(upsample_rates)
        if segment_size % self.hop or segment_size < 2 * self.hop:
            raise ValueError(
                f"segment_size {segment_size} must be a multiple of hop {self.hop}, at least 2x it"
            )
        self.lambda_fm, self.lambda_mel = lambda_fm, lambda_mel
        self.mel = LogMelSpectrogram(sample_rate, n_mels, self.hop, 0.0, sample_rate / 2)
        self.generator = Generator(
            n_mels, upsample_rates, upsample_initial_channel, resblock_kernel_sizes, resblock_dilations
        )
        self.mpd = nn.ModuleList(PeriodDiscriminator(p, mpd_channels) for p in periods)
        self.msd = nn.ModuleList(ScaleDiscriminator(msd_channels, spectral=i == 0) for i in range(3))
        self.pool = nn.AvgPool1d(4, 2, padding=2)

    def discriminate(self, audio: torch.Tensor) -> tuple[list[torch.Tensor], list[list[torch.Tensor]]]:
        """audio: [B, 1, T] -> logits and feature maps of the MPD sub-discriminators, then the MSD ones."""
        outputs = [d(audio) for d in self.mpd]
        scaled = audio
        for i, d in enumerate(self.msd):
            if i:
                scaled = self.pool(scaled)
            outputs.append(d(scaled))
        return [logits for logits, _ in outputs], [features for _, features in outputs]

    def forward(self, audio: torch.Tensor) -> dict[str, torch.Tensor]:
        """audio: [B, 1, T], T a multiple of hop -> waveform [B, 1, T], logits, generator/discriminator losses."""
        if audio.shape[-1] % self.hop:
            raise ValueError(f"audio length {audio.shape[-1]} is not a multiple of hop {self.hop}")
        mel = self.mel(audio)
        waveform = self.generator(mel)
        batch = audio.shape[0]
        # One pass over [real; generated detached for L_D; generated for L_G]
        logits, features = self.discriminate(torch.cat([audio, waveform.detach(), waveform]))
        real, detached, fake = zip(*(t.split(batch) for t in logits), strict=True)
        # L_D = sum_k E[(D_k(x) - 1)^2] + E[D_k(G(s))^2]
        d_loss = sum(((r - 1) ** 2).mean() + (d**2).mean() for r, d in zip(real, detached, strict=True))
        # L_adv(G) = sum_k E[(D_k(G(s)) - 1)^2]
        adv_loss = sum(((f - 1) ** 2).mean() for f in fake)
        # L_FM = sum_k sum_i mean |D_k^i(x) - D_k^i(G(s))|
        fm_loss = sum((fmap[:batch] - fmap[2 * batch :]).abs().mean() for per_d in features for fmap in per_d)
        # L_mel = || phi(x) - phi(G(s)) ||_1
        mel_loss = (mel - self.mel(waveform)).abs().mean()
        n_mpd = len(self.mpd)
        return {
            "waveform": waveform,
            "mpd_real_logits": torch.cat(real[:n_mpd], dim=1),
            "mpd_fake_logits": torch.cat(fake[:n_mpd], dim=1),
            "msd_real_logits": torch.cat(real[n_mpd:], dim=1),
            "msd_fake_logits": torch.cat(fake[n_mpd:], dim=1),
            "generator_loss": adv_loss + self.lambda_fm * fm_loss + self.lambda_mel * mel_loss,
            "discriminator_loss": d_loss,
        }
