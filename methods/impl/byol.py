"""BYOL: Bootstrap Your Own Latent, an online network predicting a slow target network's projection, with no negatives.

Paper: Bootstrap your own latent: A new approach to self-supervised Learning (Grill et al., 2020)
- https://arxiv.org/abs/2006.07733

The online network (encoder $f_\\theta$, projector $g_\\theta$, predictor $q_\\theta$) predicts the target
network's projection of another view of the same image; the target ($f_\\xi$, $g_\\xi$) is an
exponential moving average of the online weights, $\\xi \\leftarrow \\tau\\xi + (1 - \\tau)\\theta$, and gets
no gradient. With $\\bar{\\cdot}$ denoting L2 normalization,
$$\\mathcal{L}_{\\theta,\\xi} = \\lVert \\bar q_\\theta(z_\\theta) - \\bar z'_\\xi \\rVert_2^2 = 2 - 2\\,\\frac{\\langle q_\\theta(z_\\theta), z'_\\xi \\rangle}{\\lVert q_\\theta(z_\\theta) \\rVert \\lVert z'_\\xi \\rVert},$$
symmetrized by swapping the two views. The predictor and the stop-gradient keep it from
collapsing. Encoders are a small CNN (paper: ResNet-50), projector and predictor MLPs with
batch norm (paper 4096 -> 256).

Shapes: `view1: [N, C, H, W]`, `view2: [N, C, H, W]` -> `loss: []`, `representations: [N, F]`.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from methods.impl.moco import momentum_update


def mlp(inputs: int, hidden: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(inputs, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, outputs)
    )


def regression_loss(p: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """2 − 2 cos(p, z), per sample."""
    return 2 - 2 * nn.functional.cosine_similarity(p, z.detach(), dim=-1)


class BYOL(nn.Module):
    """Online encoder, projector and predictor; EMA target encoder and projector."""

    def __init__(
        self,
        channels: int = 3,
        feature_dim: int = 32,
        projection_dim: int = 16,
        hidden: int = 64,
        tau: float = 0.99,
    ):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, feature_dim, 3, stride=2, padding=1), nn.BatchNorm2d(feature_dim), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )  # fmt: skip
        self.projector = mlp(feature_dim, hidden, projection_dim)
        self.predictor = mlp(projection_dim, hidden, projection_dim)
        self.target = copy.deepcopy(nn.Sequential(self.encoder, self.projector)).requires_grad_(False)
        self.tau = tau

    def update_target(self) -> None:
        """ξ ← τ ξ + (1 − τ) θ, after each optimizer step."""
        momentum_update(self.target, nn.Sequential(self.encoder, self.projector), self.tau)

    def forward(self, view1: torch.Tensor, view2: torch.Tensor) -> dict[str, torch.Tensor]:
        """view1, view2: [N, C, H, W] -> loss [], representations [N, F]."""
        both = torch.cat([view1, view2])
        y = self.encoder(both)
        predictions = self.predictor(self.projector(y))
        with torch.no_grad():
            targets = self.target(both)
        n = view1.shape[0]
        # symmetrized: q(z_1) against z'_2 and q(z_2) against z'_1
        loss = (
            regression_loss(predictions[:n], targets[n:]) + regression_loss(predictions[n:], targets[:n])
        ).mean()
        return {"loss": loss, "representations": y[:n]}
