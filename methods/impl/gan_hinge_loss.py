"""GAN hinge loss, the margin objective of Geometric GAN, SAGAN and BigGAN.

Paper: Geometric GAN - https://arxiv.org/abs/1705.02894

The discriminator is trained as a soft-margin SVM separating real from fake
with margin 1, and the generator moves fakes towards the real side:
L_D = E_x[max(0, 1 − D(x))] + E_z[max(0, 1 + D(G(z)))],
L_G = −E_z[D(G(z))]. SAGAN and BigGAN adopted it with spectral normalization.
See also GAN Least Squares Loss.

Shapes: `forward(real_scores: [N], fake_scores: [N]) -> {"discriminator": [], "generator": []}`.
"""

from __future__ import annotations

import torch
from torch import nn


class GANHingeLoss(nn.Module):
    """L_D = E[ReLU(1 − D(x))] + E[ReLU(1 + D(G(z)))], L_G = −E[D(G(z))]."""

    def __init__(self, margin: float = 1.0) -> None:
        super().__init__()
        self.margin = margin

    def forward(self, real_scores: torch.Tensor, fake_scores: torch.Tensor) -> dict[str, torch.Tensor]:
        """real_scores: D(x) [N]; fake_scores: D(G(z)) [N], raw critic outputs."""
        discriminator = (
            torch.relu(self.margin - real_scores).mean() + torch.relu(self.margin + fake_scores).mean()
        )
        return {"discriminator": discriminator, "generator": -fake_scores.mean()}
