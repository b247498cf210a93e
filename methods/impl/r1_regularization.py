"""R1 regularization, a gradient penalty on the discriminator at real data.

Paper: Which Training Methods for GANs do actually Converge? - https://arxiv.org/abs/1801.04406

Mescheder et al. show that GAN training near a Nash equilibrium converges when
the discriminator's gradient vanishes on the data manifold, and penalise it
there: R₁(ψ) = (γ/2) E_{x∼p_D}[‖∇_x D_ψ(x)‖²]. Only real samples are used (R₂ uses
fakes); StyleGAN uses γ = 10 and applies it lazily every 16 steps. The
discriminator here is a small convolutional network; the penalty is built with
`create_graph=True` so it can be back-propagated into D's weights.

Shapes: `forward(real: [B, C, H, W]) -> {"penalty": [], "gradient_norm": [B], "scores": [B]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class R1Regularization(nn.Module):
    """(γ/2) · E‖∇_x D(x)‖² at real samples x, for a small convolutional critic D."""

    def __init__(self, channels: int = 3, hidden: int = 16, gamma: float = 10.0) -> None:
        super().__init__()
        self.gamma = gamma  # γ
        self.discriminator = nn.Sequential(  # D_ψ
            nn.Conv2d(channels, hidden, 3, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(hidden, hidden, 3, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(hidden, 1),
        )

    def forward(self, real: torch.Tensor) -> dict[str, torch.Tensor]:
        """real: [B, C, H, W] data samples -> the penalty, ‖∇_x D(x)‖ per sample and D(x)."""
        with torch.enable_grad():
            x = real.detach().requires_grad_(True)
            scores = self.discriminator(x).squeeze(-1)
            (grad,) = torch.autograd.grad(scores.sum(), x, create_graph=True)
        squared = grad.pow(2).flatten(1).sum(dim=1)  # ‖∇_x D(x)‖²
        # R₁ = γ/2 · E‖∇_x D(x)‖²
        return {
            "penalty": 0.5 * self.gamma * squared.mean(),
            "gradient_norm": squared.sqrt(),
            "scores": scores,
        }
