"""Cycle consistency loss, CycleGAN's constraint that translating there and back returns the input.

Paper: Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial
Networks (CycleGAN) - https://arxiv.org/abs/1703.10593

With unpaired data, a mapping G: X → Y trained only adversarially may send
every x to the same plausible y. CycleGAN learns an inverse F: Y → X too and
asks both round trips to be the identity:
L_cyc(G, F) = E_x[‖F(G(x)) − x‖₁] + E_y[‖G(F(y)) − y‖₁], weighted by λ = 10 in the
full objective. The two generators here are small two-layer convolutional
networks (CycleGAN's are ResNet-based with 9 blocks at 256×256).

Shapes: `forward(x: [B, C, H, W], y: [B, C, H, W]) -> {"loss": [], "forward_cycle": [], "backward_cycle": [], "reconstructed_x": [B, C, H, W]}`.
"""

from __future__ import annotations

import torch
from torch import nn


def _generator(channels: int, hidden: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(channels, hidden, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(hidden, channels, 3, padding=1),
        nn.Tanh(),
    )


class CycleConsistencyLoss(nn.Module):
    """λ (‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁) with generators G: X → Y and F: Y → X."""

    def __init__(self, channels: int = 3, hidden: int = 16, weight: float = 10.0) -> None:
        super().__init__()
        self.g = _generator(channels, hidden)  # G: X -> Y
        self.f = _generator(channels, hidden)  # F: Y -> X
        self.weight = weight  # λ

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] from domain X; y: [B, C, H, W] from domain Y, both in [−1, 1]."""
        reconstructed_x = self.f(self.g(x))
        # E‖F(G(x)) − x‖₁ and E‖G(F(y)) − y‖₁ (mean absolute error)
        forward_cycle = (reconstructed_x - x).abs().mean()
        backward_cycle = (self.g(self.f(y)) - y).abs().mean()
        loss = self.weight * (forward_cycle + backward_cycle)
        return {
            "loss": loss,
            "forward_cycle": forward_cycle,
            "backward_cycle": backward_cycle,
            "reconstructed_x": reconstructed_x,
        }
