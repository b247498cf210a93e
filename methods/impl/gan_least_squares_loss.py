"""GAN least squares loss (LSGAN), a quadratic adversarial objective.

Paper: Least Squares Generative Adversarial Networks - https://arxiv.org/abs/1611.04076

The sigmoid cross-entropy of the original GAN saturates for fakes that are
on the right side of the decision boundary but far from the data. LSGAN
regresses the discriminator's raw output instead:
min_D ½ E_x[(D(x) − b)²] + ½ E_z[(D(G(z)) − a)²] and
min_G ½ E_z[(D(G(z)) − c)²], with the 0-1 coding a = 0, b = c = 1 (the paper's
choice for its experiments), which penalises fakes by their distance to the
boundary. Minimising it minimises the Pearson χ² divergence when b − c = 1
and b − a = 2 (the −1, 1, 0 coding). See also GAN Hinge Loss.

Shapes: `forward(real_scores: [N], fake_scores: [N]) -> {"discriminator": [], "generator": []}`.
"""

from __future__ import annotations

import torch
from torch import nn


class GANLeastSquaresLoss(nn.Module):
    """L_D = ½E[(D(x) − b)²] + ½E[(D(G(z)) − a)²], L_G = ½E[(D(G(z)) − c)²]."""

    def __init__(self, a: float = 0.0, b: float = 1.0, c: float = 1.0) -> None:
        super().__init__()
        self.a, self.b, self.c = a, b, c

    def forward(self, real_scores: torch.Tensor, fake_scores: torch.Tensor) -> dict[str, torch.Tensor]:
        """real_scores: D(x) [N]; fake_scores: D(G(z)) [N], raw (no sigmoid) outputs."""
        discriminator = (
            0.5 * ((real_scores - self.b) ** 2).mean() + 0.5 * ((fake_scores - self.a) ** 2).mean()
        )
        generator = 0.5 * ((fake_scores - self.c) ** 2).mean()
        return {"discriminator": discriminator, "generator": generator}
