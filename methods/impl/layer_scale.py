"""LayerScale, a learned per-channel scale on each residual branch of a deep Transformer.

Paper: Going deeper with Image Transformers (CaiT) - https://arxiv.org/abs/2103.17239

CaiT multiplies the output of every residual branch by a diagonal matrix
before the sum: x_{l+1} = x_l + diag(λ_{l,1}, …, λ_{l,d}) · SA(η(x_l)), with the λ
learned and initialised to a small ε (0.1 up to depth 18, 10⁻⁵ at depth 24,
10⁻⁶ beyond), so each block starts close to the identity. The module is the
scaling alone, as in timm's `LayerScale` (`x * gamma`), to be placed at the end
of a residual branch. See also Residual Connection.

Shapes: `forward(x: [B, N, d]) -> [B, N, d]`.
"""

from __future__ import annotations

import torch
from torch import nn


class LayerScale(nn.Module):
    """x ↦ diag(λ) x, λ ∈ ℝ^d initialised to ε."""

    def __init__(self, dim: int = 32, init_values: float = 1e-5) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.full((dim,), float(init_values)))  # λ

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, N, d] the residual branch's output -> [B, N, d] scaled per channel."""
        return x * self.gamma
