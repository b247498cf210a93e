"""GAN (Generative Adversarial Network): a generator and a discriminator trained in a two-player minimax game.

Paper: Generative Adversarial Networks - https://arxiv.org/abs/1406.2661

The generator $G(z; \\theta_g)$ maps noise $z \\sim p_z$ to data space; the discriminator
$D(x; \\theta_d)$ outputs the probability that $x$ came from the data rather than from $G$. They
play

$$\\min_G \\max_D V(D, G) = \\mathbb{E}_{x \\sim p_{data}}[\\log D(x)] + \\mathbb{E}_{z \\sim p_z}[\\log(1 - D(G(z)))]$$

whose optimum has $p_g = p_{data}$ and $D = 1/2$. In practice (Section 3) $G$ maximizes
$\\log D(G(z))$ instead - the non-saturating loss - for strong early gradients. Both are MLPs
(the paper's MNIST models use ReLU / maxout units; ReLU and LeakyReLU here). This forward computes
both players' losses: `d_loss` on detached fakes (so it trains $D$ only) and `g_loss`.

Shapes: `forward(z: [B, Z], real: [B, D])` -> `{"fake": [B, D], "d_real": [B], "d_fake": [B],
"d_loss": [], "g_loss": []}` (discriminator outputs are logits).

Hyperparameters: `latent_dim` $Z$ (100; 16 here), `data_dim` $D$ (784; 64), `hidden_dim` (240 to
1,200; 64).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class GAN(nn.Module):
    """MLP generator and discriminator with the discriminator and non-saturating generator losses."""

    def __init__(self, latent_dim: int = 16, data_dim: int = 64, hidden_dim: int = 64) -> None:
        super().__init__()
        self.generator = nn.Sequential(
            nn.Linear(latent_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, data_dim),
            nn.Sigmoid(),
        )
        self.discriminator = nn.Sequential(
            nn.Linear(data_dim, hidden_dim),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, hidden_dim),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, 1),
        )

    def forward(self, z: torch.Tensor, real: torch.Tensor) -> dict[str, torch.Tensor]:
        """z: [B, Z], real: [B, D] -> fake samples, D's logits and both losses."""
        fake = self.generator(z)
        d_real = self.discriminator(real).squeeze(-1)
        d_fake_detached = self.discriminator(fake.detach()).squeeze(-1)
        d_fake = self.discriminator(fake).squeeze(-1)
        # D ascends log D(x) + log(1 - D(G(z))): minimize the binary cross-entropies
        d_loss = F.binary_cross_entropy_with_logits(
            d_real, torch.ones_like(d_real)
        ) + F.binary_cross_entropy_with_logits(d_fake_detached, torch.zeros_like(d_fake_detached))
        # non-saturating G: maximize log D(G(z))
        g_loss = F.binary_cross_entropy_with_logits(d_fake, torch.ones_like(d_fake))
        return {"fake": fake, "d_real": d_real, "d_fake": d_fake, "d_loss": d_loss, "g_loss": g_loss}
