"""Diffusion (DDPM): data is gradually noised by a fixed Markov chain; a network learns to predict the noise and so reverse it.

Paper: Denoising Diffusion Probabilistic Models - https://arxiv.org/abs/2006.11239

The forward process adds Gaussian noise with a variance schedule $\\beta_1, \\ldots, \\beta_T$
(linear from $10^{-4}$ to 0.02, $T$ = 1,000); with $\\alpha_t = 1 - \\beta_t$ and
$\\bar\\alpha_t = \\prod_{s \\le t} \\alpha_s$ it can be sampled at any step in closed form,

$$q(x_t | x_0) = \\mathcal{N}(\\sqrt{\\bar\\alpha_t} \\, x_0, (1 - \\bar\\alpha_t) I), \\quad
x_t = \\sqrt{\\bar\\alpha_t} \\, x_0 + \\sqrt{1 - \\bar\\alpha_t} \\, \\epsilon$$

and the reweighted variational bound reduces to the simple loss (Algorithm 1)

$$L_{simple} = \\mathbb{E}_{t, x_0, \\epsilon} \\| \\epsilon - \\epsilon_\\theta(x_t, t) \\|^2$$

The denoiser $\\epsilon_\\theta$ here is a small residual conv net with the Transformer's sinusoidal
time embedding added to its features (the paper uses a PixelCNN++-style U-Net of 35.7M
parameters). `reverse_step` is one step of Algorithm 2 with $\\sigma_t^2 = \\beta_t$.

Shapes: `forward(x0: [B, C, H, W])` -> `{"loss": [], "x_t": [B, C, H, W], "eps_pred": [B, C, H, W],
"t": [B]}`.

Hyperparameters: `channels` $C$ (3), `hidden` (denoiser width; 128 in the paper, 16 here),
`timesteps` $T$ (1,000), `beta_start` (1e-4), `beta_end` (0.02).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.blocks import sinusoidal_positions


class NoiseSchedule(nn.Module):
    """The linear beta schedule and its cumulative products, as buffers."""

    def __init__(self, timesteps: int, beta_start: float, beta_end: float) -> None:
        super().__init__()
        betas = torch.linspace(beta_start, beta_end, timesteps, dtype=torch.float64)
        self.register_buffer("betas", betas.float())
        # alpha_bar_t = prod_{s <= t} (1 - beta_s)
        self.register_buffer("alphas_cumprod", torch.cumprod(1 - betas, 0).float())

    def q_sample(self, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps."""
        a = self.alphas_cumprod[t].view(-1, *([1] * (x0.dim() - 1)))
        return a.sqrt() * x0 + (1 - a).sqrt() * noise


class Denoiser(nn.Module):
    """eps_theta(x_t, t): conv in, residual conv blocks with an added time embedding, conv out."""

    def __init__(self, channels: int, hidden: int, blocks: int = 2) -> None:
        super().__init__()
        self.hidden = hidden
        self.time = nn.Sequential(nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, hidden))
        self.conv_in = nn.Conv2d(channels, hidden, 3, padding=1)
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.GroupNorm(4, hidden), nn.SiLU(), nn.Conv2d(hidden, hidden, 3, padding=1))
            for _ in range(blocks)
        )
        self.conv_out = nn.Conv2d(hidden, channels, 3, padding=1)

    def forward(
        self, x: torch.Tensor, t: torch.Tensor, inject: Callable[[torch.Tensor], torch.Tensor] | None = None
    ) -> torch.Tensor:
        """x: [B, C, H, W], t: [B] integer steps -> predicted noise [B, C, H, W].

        `inject`, when given, transforms the features after the first block (a latent diffusion
        model's cross-attention to its conditioning).
        """
        table = sinusoidal_positions(int(t.max()) + 1, self.hidden, x.device)
        embedding = self.time(table[t])[:, :, None, None]
        h = self.conv_in(x)
        for i, block in enumerate(self.blocks):
            h = h + block(h + embedding)
            if i == 0 and inject is not None:
                h = inject(h)
        return self.conv_out(F.silu(h))


class DDPM(nn.Module):
    """Training step of Algorithm 1: random t, noised x_t, noise-prediction MSE."""

    def __init__(
        self,
        channels: int = 3,
        hidden: int = 16,
        timesteps: int = 1000,
        beta_start: float = 1e-4,
        beta_end: float = 0.02,
    ) -> None:
        super().__init__()
        self.timesteps = timesteps
        self.schedule = NoiseSchedule(timesteps, beta_start, beta_end)
        self.denoiser = Denoiser(channels, hidden)

    def forward(self, x0: torch.Tensor) -> dict[str, torch.Tensor]:
        """x0: [B, C, H, W] -> L_simple, x_t, eps_theta(x_t, t), t."""
        t = torch.randint(0, self.timesteps, (x0.shape[0],), device=x0.device)
        noise = torch.randn_like(x0)
        x_t = self.schedule.q_sample(x0, t, noise)
        eps_pred = self.denoiser(x_t, t)
        return {"loss": F.mse_loss(eps_pred, noise), "x_t": x_t, "eps_pred": eps_pred, "t": t}

    @torch.no_grad()
    def reverse_step(self, x_t: torch.Tensor, t: int) -> torch.Tensor:
        """x_{t-1} = (x_t - beta_t / sqrt(1 - alpha_bar_t) eps_theta) / sqrt(alpha_t) + sigma_t z."""
        beta = self.schedule.betas[t]
        alpha_bar = self.schedule.alphas_cumprod[t]
        steps = torch.full((x_t.shape[0],), t, device=x_t.device, dtype=torch.long)
        mean = (x_t - beta / (1 - alpha_bar).sqrt() * self.denoiser(x_t, steps)) / (1 - beta).sqrt()
        return mean + (beta.sqrt() * torch.randn_like(x_t) if t > 0 else 0.0)
