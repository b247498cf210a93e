"""L1 regularization, a penalty on the absolute values of the weights that drives many to zero.

Paper: Regression Shrinkage and Selection via the Lasso (Tibshirani, 1996) -
https://doi.org/10.1111/j.2517-6161.1996.tb02080.x

The training loss becomes L_new(w) = L_original(w) + λ‖w‖₁. The subgradient
λ·sign(w) is the same size for every weight however small, so unlike the L2
penalty (weight decay) it pushes unimportant weights exactly to zero: a sparse,
feature-selecting solution. The module returns the penalty for one weight
tensor and the subgradient it adds; see also Weight Decay.

Shapes: `forward(weight: [*]) -> {"penalty": [], "subgradient": [*]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class L1Regularization(nn.Module):
    """λ‖w‖₁ and its subgradient λ·sign(w)."""

    def __init__(self, strength: float = 1e-3) -> None:
        super().__init__()
        self.strength = strength  # λ

    def forward(self, weight: torch.Tensor) -> dict[str, torch.Tensor]:
        """weight: [*] any parameter tensor -> the penalty λ Σ|w_i| and λ sign(w)."""
        return {"penalty": self.strength * weight.abs().sum(), "subgradient": self.strength * weight.sign()}
