"""WaveGAN: DCGAN flattened to one dimension for raw-waveform audio.

Paper: Adversarial Audio Synthesis - https://arxiv.org/abs/1802.04208

WaveGAN turns DCGAN's 5x5 two-dimensional filters into length-25 one-dimensional
ones and its stride 2 into stride 4, so each layer upsamples (generator) or
downsamples (discriminator) by 4 and the model keeps DCGAN's parameter count. It has
no batch normalisation, applies phase shuffle (maximum shift $n = 2$) after every
discriminator layer but the last, and is trained with WGAN-GP:

$$L_D = \\mathbb{E}[D(G(z))] - \\mathbb{E}[D(x)] + \\lambda \\, \\mathbb{E}_{\\hat x}
  [(\\|\\nabla_{\\hat x} D(\\hat x)\\|_2 - 1)^2], \\quad \\hat x = \\epsilon x + (1 - \\epsilon) G(z),
  \\ \\epsilon \\sim U[0, 1]$$
$$L_G = -\\mathbb{E}[D(G(z))]$$

Generator: dense $z \\to 16 \\times 2^{L-1} d$ features reshaped to length 16, ReLU, then L
transposed convolutions (kernel 25, stride 4) halving the channels, ReLU between them
and tanh at the end. Discriminator: L convolutions (kernel 25, stride 4) doubling the
channels from d, leaky ReLU (0.2) and phase shuffle, then a dense layer to one score.
The paper has L = 5 (16384 samples) and d = 64.

Shapes: `forward(z: [B, Z], x_real: [B, C, 16 * 4^L]) -> fake [B, C, 16 * 4^L],
real_scores [B], fake_scores [B], generator_loss [], discriminator_loss []`, where
`discriminator_loss` is computed on the detached generator output.

Hyperparameters: `latent_dim` is the size of $z$ (100), `model_size` is $d$ (64),
`num_samples` is the audio length $16 \\cdot 4^L$ (16384, L = 5), `channels` is c (1),
`shift_factor` is phase shuffle's $n$ (2), `gp_weight` is $\\lambda$ (10).
"""

from __future__ import annotations

import itertools
import math

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.phase_shuffle import PhaseShuffle


class WaveGANGenerator(nn.Module):
    """z -> dense -> [16 * 2^(L-1) d, 16] -> L transposed 1-D convolutions (25 taps, stride 4)."""

    def __init__(self, latent_dim: int, model_size: int, n_layers: int, channels: int) -> None:
        super().__init__()
        self.width = model_size * 2 ** (n_layers - 1)
        self.fc = nn.Linear(latent_dim, 16 * self.width)
        widths = [model_size * 2 ** (n_layers - 1 - i) for i in range(n_layers)] + [channels]
        # padding 11 and output_padding 1 make each layer exactly 4x longer ("same" in the TF code)
        self.deconvs = nn.ModuleList(
            nn.ConvTranspose1d(c_in, c_out, 25, 4, padding=11, output_padding=1)
            for c_in, c_out in itertools.pairwise(widths)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """z: [B, Z] -> waveform [B, C, 16 * 4^L] in (-1, 1)."""
        h = F.relu(self.fc(z).view(z.shape[0], self.width, 16))
        for i, deconv in enumerate(self.deconvs):
            h = deconv(h)
            h = torch.tanh(h) if i == len(self.deconvs) - 1 else F.relu(h)
        return h


class WaveGANDiscriminator(nn.Module):
    """L 1-D convolutions (25 taps, stride 4) with leaky ReLU and phase shuffle, then a dense score."""

    def __init__(self, model_size: int, n_layers: int, channels: int, shift_factor: int) -> None:
        super().__init__()
        widths = [channels] + [model_size * 2**i for i in range(n_layers)]
        self.convs = nn.ModuleList(
            nn.Conv1d(c_in, c_out, 25, 4, padding=11) for c_in, c_out in itertools.pairwise(widths)
        )
        self.shuffles = nn.ModuleList(PhaseShuffle(shift_factor) for _ in range(n_layers - 1))
        self.fc = nn.Linear(16 * widths[-1], 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, 16 * 4^L] -> critic score [B] (unbounded: WGAN)."""
        for i, conv in enumerate(self.convs):
            x = F.leaky_relu(conv(x), 0.2)
            if i < len(self.shuffles):
                x = self.shuffles[i](x)
        return self.fc(x.flatten(1)).squeeze(-1)


class WaveGAN(nn.Module):
    """Generator, phase-shuffling critic and the WGAN-GP objective."""

    def __init__(
        self,
        latent_dim: int = 16,
        model_size: int = 4,
        num_samples: int = 1024,
        channels: int = 1,
        shift_factor: int = 2,
        gp_weight: float = 10.0,
    ) -> None:
        super().__init__()
        # num_samples = 16 * 4^L
        n_layers = round(math.log(num_samples / 16, 4))
        if n_layers < 1 or 16 * 4**n_layers != num_samples:
            raise ValueError(f"num_samples {num_samples} is not 16 * 4^L for an integer L >= 1")
        self.gp_weight = gp_weight
        self.generator = WaveGANGenerator(latent_dim, model_size, n_layers, channels)
        self.discriminator = WaveGANDiscriminator(model_size, n_layers, channels, shift_factor)

    def gradient_penalty(
        self, real: torch.Tensor, fake: torch.Tensor, epsilon: torch.Tensor | None = None
    ) -> torch.Tensor:
        """real, fake: [B, C, T], epsilon: [B] in [0, 1] (drawn if None) -> lambda E[(||grad D(x_hat)|| - 1)^2]."""
        if epsilon is None:
            epsilon = torch.rand(real.shape[0], device=real.device, dtype=real.dtype)
        # x_hat = eps x + (1 - eps) G(z), one eps per example
        x_hat = torch.lerp(fake, real, epsilon[:, None, None])
        with torch.enable_grad():
            x_hat = x_hat.detach().requires_grad_(True)
            (grad,) = torch.autograd.grad(self.discriminator(x_hat).sum(), x_hat, create_graph=True)
        # (||grad_x_hat D(x_hat)||_2 - 1)^2, norm over each example's samples
        return self.gp_weight * ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()

    def forward(self, z: torch.Tensor, x_real: torch.Tensor) -> dict[str, torch.Tensor]:
        """z: [B, Z], x_real: [B, C, 16 * 4^L] -> fake, critic scores and the WGAN-GP losses."""
        fake = self.generator(z)
        batch = z.shape[0]
        # One critic pass over [real; generated detached for L_D; generated for L_G]
        real_scores, detached_scores, fake_scores = self.discriminator(
            torch.cat([x_real, fake.detach(), fake])
        ).split(batch)
        # L_D = E[D(G(z))] - E[D(x)] + GP
        d_loss = detached_scores.mean() - real_scores.mean() + self.gradient_penalty(x_real, fake.detach())
        # L_G = -E[D(G(z))]
        g_loss = -fake_scores.mean()
        return {
            "fake": fake,
            "real_scores": real_scores,
            "fake_scores": fake_scores,
            "generator_loss": g_loss,
            "discriminator_loss": d_loss,
        }
