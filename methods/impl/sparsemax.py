"""Sparsemax, the Euclidean projection onto the probability simplex.

Paper: From Softmax to Sparsemax: A Sparse Model of Attention and Multi-Label
Classification - https://arxiv.org/abs/1602.02068

sparsemax(z) = argmin_{p ∈ Δ^{K−1}} ‖p − z‖² has the closed form
p_i = max(0, z_i − τ(z)): sort z descending, find k(z) = max{k : 1 + k z_(k) > Σ_{j≤k} z_(j)},
and set τ(z) = (Σ_{j≤k(z)} z_(j) − 1) / k(z). Unlike softmax it gives exact zeros to
low scores while staying differentiable almost everywhere (Algorithm 1 of the paper).

Shapes: `forward(x: [*, K]) -> [*, K]`, along `dim`.
"""

from __future__ import annotations

import torch
from torch import nn


class Sparsemax(nn.Module):
    """p = max(0, z − τ(z)) along `dim`."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [*, K] scores z -> [*, K] a sparse probability vector."""
        z = x.transpose(self.dim, -1)
        z_sorted, _ = z.sort(dim=-1, descending=True)
        k = torch.arange(1, z.shape[-1] + 1, device=z.device, dtype=z.dtype)
        cumulative = z_sorted.cumsum(dim=-1)
        # k(z) = max{k : 1 + k z_(k) > Σ_{j≤k} z_(j)}
        support = (1 + k * z_sorted) > cumulative
        k_z = support.sum(dim=-1, keepdim=True)
        # τ(z) = (Σ_{j≤k(z)} z_(j) − 1) / k(z)
        tau = (cumulative.gather(-1, k_z - 1) - 1) / k_z.to(z.dtype)
        return (z - tau).clamp_min(0).transpose(self.dim, -1)
