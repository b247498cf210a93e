"""Affine Coupling: half the dimensions pass unchanged and parameterize an affine map of the other half - invertible with a triangular Jacobian.

Paper: Density estimation using Real NVP - https://arxiv.org/abs/1605.08803

With a binary mask splitting $x$ into $x_{1:d}$ and $x_{d+1:D}$,

$$y_{1:d} = x_{1:d}, \\quad y_{d+1:D} = x_{d+1:D} \\odot \\exp(s(x_{1:d})) + t(x_{1:d})$$

where the scale $s$ and translation $t$ are arbitrary networks (never inverted). The Jacobian is
triangular, so $\\log |\\det| = \\sum_j s(x_{1:d})_j$, and the inverse is as cheap as the forward:
$x_{d+1:D} = (y_{d+1:D} - t(y_{1:d})) \\odot \\exp(-s(y_{1:d}))$. Alternating masks between layers
lets every dimension be transformed. $s$ ends in tanh times a learned scale for stability, as in
the reference code.

Shapes: `forward(x: [B, D])` -> `{"y": [B, D], "log_det": [B]}`; `inverse(y)` -> `x`.

Hyperparameters: `dim` $D$ (8 here), `hidden` (the width of $s$ and $t$; 32), `parity` (which half
stays fixed: 0 keeps the even indices).
"""

from __future__ import annotations

import torch
from torch import nn


class AffineCoupling(nn.Module):
    """y = mask x + (1 - mask)(x exp(s(mask x)) + t(mask x)), log |det| = sum (1 - mask) s."""

    def __init__(self, dim: int = 8, hidden: int = 32, parity: int = 0) -> None:
        super().__init__()
        self.register_buffer("mask", (torch.arange(dim) % 2 == parity).float())
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.scale_out = nn.Linear(hidden, dim)
        self.translate_out = nn.Linear(hidden, dim)
        self.scale = nn.Parameter(torch.ones(dim))

    def _st(self, fixed: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.net(fixed)
        free = 1 - self.mask
        return self.scale * torch.tanh(self.scale_out(h)) * free, self.translate_out(h) * free

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D] -> y [B, D] and log |det dy/dx| [B]."""
        s, t = self._st(x * self.mask)
        # y_fixed = x_fixed; y_free = x_free exp(s) + t
        y = x * self.mask + (1 - self.mask) * (x * torch.exp(s) + t)
        return {"y": y, "log_det": s.sum(-1)}

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """y: [B, D] -> x: x_free = (y_free - t(y_fixed)) exp(-s(y_fixed))."""
        s, t = self._st(y * self.mask)
        return y * self.mask + (1 - self.mask) * ((y - t) * torch.exp(-s))
