"""WGAN-GP loss, the Wasserstein critic loss with a gradient penalty.

Paper: Improved Training of Wasserstein GANs - https://arxiv.org/abs/1704.00028

WGAN's critic must be 1-Lipschitz; weight clipping enforced it badly.
WGAN-GP instead penalises the critic's gradient norm away from 1 on random
interpolates x̂ = εx + (1 − ε)x̃, ε ∼ U[0, 1], between real x and fake x̃:
L = E[D(x̃)] − E[D(x)] + λ E[(‖∇_x̂ D(x̂)‖₂ − 1)²], with λ = 10; the generator
minimises −E[D(x̃)]. The critic here is a small convolutional network without
batch normalisation (the paper drops it from the critic).

Shapes: `forward(real: [B, C, H, W], fake: [B, C, H, W]) -> {"critic": [], "generator": [], "penalty": [], "gradient_norm": [B]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class WGANGPLoss(nn.Module):
    """Critic loss E[D(x̃)] − E[D(x)] + λ E(‖∇D(x̂)‖ − 1)² and generator loss −E[D(x̃)]."""

    def __init__(self, channels: int = 3, hidden: int = 16, gp_weight: float = 10.0) -> None:
        super().__init__()
        self.gp_weight = gp_weight  # λ
        self.critic = nn.Sequential(  # D
            nn.Conv2d(channels, hidden, 3, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(hidden, hidden, 3, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(hidden, 1),
        )

    def forward(self, real: torch.Tensor, fake: torch.Tensor) -> dict[str, torch.Tensor]:
        """real: [B, C, H, W] data x; fake: [B, C, H, W] generated x̃."""
        d_real, d_fake = self.critic(real).squeeze(-1), self.critic(fake).squeeze(-1)
        # x̂ = ε x + (1 − ε) x̃, ε ~ U[0, 1] per sample
        eps = torch.rand(len(real), 1, 1, 1, device=real.device, dtype=real.dtype)
        with torch.enable_grad():
            x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
            (grad,) = torch.autograd.grad(self.critic(x_hat).sum(), x_hat, create_graph=True)
        norm = grad.flatten(1).norm(dim=1)
        penalty = ((norm - 1) ** 2).mean()
        critic = d_fake.mean() - d_real.mean() + self.gp_weight * penalty
        return {"critic": critic, "generator": -d_fake.mean(), "penalty": penalty, "gradient_norm": norm}
