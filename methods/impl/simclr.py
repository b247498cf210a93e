"""SimCLR: contrastive learning of visual representations from two augmented views of each image.

Paper: A Simple Framework for Contrastive Learning of Visual Representations (Chen et al., 2020)
- https://arxiv.org/abs/2002.05709

Each image is augmented twice; an encoder $f$ gives representations $h = f(\\tilde x)$ and a
projection head $g$ (an MLP with one hidden layer) gives $z = g(h)$. For the $2N$ views of a
batch, the NT-Xent loss of a positive pair $(i, j)$ is
$$\\ell_{i,j} = -\\log \\frac{\\exp(\\text{sim}(z_i, z_j)/\\tau)}{\\sum_{k \\ne i} \\exp(\\text{sim}(z_i, z_k)/\\tau)},$$
with cosine similarity, averaged over all $2N$ ordered positive pairs. The encoder is a small
CNN here (the paper's is a ResNet-50); the views come in as inputs, since augmentation is a
data pipeline (random crop, colour distortion, blur). After training, $h$ is the representation.

Shapes: `view1: [N, C, H, W]`, `view2: [N, C, H, W]` -> `loss: []`, `representations: [N, F]`
(of `view1`), `projections: [2N, P]`.
"""

from __future__ import annotations

import torch
from torch import nn


def nt_xent(z: torch.Tensor, temperature: float) -> torch.Tensor:
    """NT-Xent over 2N projections where rows i and i + N are positives."""
    n = z.shape[0] // 2
    z = nn.functional.normalize(z, dim=-1)
    sim = z @ z.T / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    positives = torch.cat([torch.arange(n, 2 * n), torch.arange(n)]).to(z.device)
    return nn.functional.cross_entropy(sim, positives)


class SimCLR(nn.Module):
    """Encoder f, projection head g and the NT-Xent loss of two views."""

    def __init__(
        self, in_channels: int = 3, feature_dim: int = 32, projection_dim: int = 16, temperature: float = 0.5
    ):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, feature_dim, 3, stride=2, padding=1), nn.BatchNorm2d(feature_dim), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )  # fmt: skip
        self.projection = nn.Sequential(
            nn.Linear(feature_dim, feature_dim), nn.ReLU(), nn.Linear(feature_dim, projection_dim)
        )
        self.temperature = temperature

    def forward(self, view1: torch.Tensor, view2: torch.Tensor) -> dict[str, torch.Tensor]:
        """view1, view2: [N, C, H, W] -> loss [], representations [N, F], projections [2N, P]."""
        h = self.encoder(torch.cat([view1, view2]))
        z = self.projection(h)
        return {
            "loss": nt_xent(z, self.temperature),
            "representations": h[: view1.shape[0]],
            "projections": z,
        }
