"""Content-based attention (content addressing of a Neural Turing Machine).

Paper: Neural Turing Machines - https://arxiv.org/abs/1410.5401

A Neural Turing Machine's heads find memory locations by content: a head emits a key
vector $k$ and a key strength $\\beta \\ge 0$; every memory row $M_i$ is scored by its
cosine similarity to the key, and a softmax sharpened by $\\beta$ turns the scores into a
normalized weighting, which then reads a convex combination of the rows:

$$K(u, v) = \\frac{u \\cdot v}{\\lVert u \\rVert \\, \\lVert v \\rVert}, \\qquad
w_i = \\frac{\\exp(\\beta K(k, M_i))}{\\sum_j \\exp(\\beta K(k, M_j))}, \\qquad
r = \\sum_i w_i M_i.$$

Larger $\\beta$ focuses the weighting on the best-matching rows; $\\beta = 0$ spreads it
uniformly. In the full NTM this content weighting is then interpolated with the previous
weighting and shifted (location addressing); this module is the content step and the read.
Several heads may address the same memory at once.

Shapes: `forward(memory: [B, N, W], key: [B, R, W], beta: [B, R]) -> {"weights": [B, R, N],
"read": [B, R, W]}` for $N$ memory rows of width $W$ and $R$ heads. `beta` is used as
given: feed it non-negative values (the controller usually emits it through a softplus).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ContentBasedAttention(nn.Module):
    """Cosine-similarity addressing of memory rows, sharpened by a key strength, and the read vector."""

    def __init__(self, eps: float = 1e-8) -> None:
        super().__init__()
        self.eps = eps

    def forward(self, memory: torch.Tensor, key: torch.Tensor, beta: torch.Tensor) -> dict[str, torch.Tensor]:
        """`memory: [B, N, W]`, `key: [B, R, W]`, `beta: [B, R]` -> weights `[B, R, N]`, read `[B, R, W]`."""
        if (
            key.shape[-1] != memory.shape[-1]
            or key.shape[0] != memory.shape[0]
            or beta.shape != key.shape[:2]
        ):
            raise ValueError(
                f"expected memory [B, N, W], key [B, R, W], beta [B, R]; got memory {list(memory.shape)}, "
                f"key {list(key.shape)}, beta {list(beta.shape)}"
            )
        # K(k, M_i) = k . M_i / (||k|| ||M_i||)
        similarity = F.normalize(key, dim=-1, eps=self.eps) @ F.normalize(memory, dim=-1, eps=self.eps).mT
        # w_i = exp(beta K(k, M_i)) / sum_j exp(beta K(k, M_j))
        weights = torch.softmax(beta.unsqueeze(-1) * similarity, dim=-1)
        # r = sum_i w_i M_i
        read = weights @ memory
        return {"weights": weights, "read": read}
