"""Conditional batch normalization (CBN), batch normalization whose γ and β depend on an input.

Paper: Modulating early visual processing by language - https://arxiv.org/abs/1707.00683

A pretrained network's batch normalization parameters are modulated by a
conditioning embedding e (a question's LSTM encoding in VQA): two small
networks predict changes Δγ = MLP_γ(e) and Δβ = MLP_β(e), and
BN(F | e) = (γ + Δγ) · (F − E[F]) / √(Var[F] + ε) + (β + Δβ). Initialising the
predictors at zero starts from the unconditioned network. GANs (SNGAN, BigGAN)
use the class-conditional form, with e a class embedding. The predictors here
are one-hidden-layer perceptrons as in the paper.

Shapes: `forward(x: [B, C, H, W], condition: [B, E]) -> [B, C, H, W]`.
"""

from __future__ import annotations

import torch
from torch import nn


class ConditionalBatchNorm2d(nn.Module):
    """(γ + Δγ(e)) · BN(x) + (β + Δβ(e)), the normalisation statistics taken over the batch."""

    def __init__(self, num_features: int = 16, condition_dim: int = 8, hidden: int = 32, eps: float = 1e-5):
        super().__init__()
        self.norm = nn.BatchNorm2d(num_features, eps=eps, affine=False)
        self.gamma = nn.Parameter(torch.ones(num_features))  # γ
        self.beta = nn.Parameter(torch.zeros(num_features))  # β
        self.delta_gamma = nn.Sequential(
            nn.Linear(condition_dim, hidden), nn.ReLU(), nn.Linear(hidden, num_features)
        )
        self.delta_beta = nn.Sequential(
            nn.Linear(condition_dim, hidden), nn.ReLU(), nn.Linear(hidden, num_features)
        )
        for predictor in (self.delta_gamma, self.delta_beta):
            # Δγ = Δβ = 0 at the start: the unconditioned network
            nn.init.zeros_(predictor[-1].weight)
            nn.init.zeros_(predictor[-1].bias)

    def forward(self, x: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] features; condition: [B, E] embedding e -> [B, C, H, W]."""
        gamma = (self.gamma + self.delta_gamma(condition))[:, :, None, None]
        beta = (self.beta + self.delta_beta(condition))[:, :, None, None]
        # (γ + Δγ) · (F − E[F]) / √(Var[F] + ε) + (β + Δβ)
        return gamma * self.norm(x) + beta
