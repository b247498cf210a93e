"""DCNN: Diffusion-Convolutional Neural Networks, features diffused over powers of the transition matrix.

Paper: Diffusion-Convolutional Neural Networks (Atwood & Towsley, 2016) - https://arxiv.org/abs/1511.02136

With the degree-normalized transition matrix $P = D^{-1} A$ and its powers $P^{*} = [P^0, P^1, \\dots, P^{K}]$
(hops $0..K$), the diffusion-convolutional representation of node $i$, hop $j$ and feature $k$ is
$$Z_{ijk} = f\\left(W^c_{jk} \\sum_{l} P^{*}_{ijl} X_{lk}\\right),$$
one learned weight per hop and feature (Eq. 1, node classification), followed by a dense layer
to class scores $Y = \\text{softmax}(f(W^d \\cdot Z))$. $f$ is tanh as in the paper.

Shapes: `x: [N, F]`, `adjacency: [N, N]` -> `representation: [N, K + 1, F]`, `logits: [N, C]`.
"""

from __future__ import annotations

import torch
from torch import nn


class DiffusionConvolution(nn.Module):
    """Z = tanh(W^c ⊙ P* X), then a dense layer to class scores."""

    def __init__(self, in_features: int = 8, hops: int = 2, num_classes: int = 3):
        super().__init__()
        self.hops = hops
        self.weight = nn.Parameter(torch.randn(hops + 1, in_features) * 0.5 + 1.0)
        self.dense = nn.Linear((hops + 1) * in_features, num_classes)

    def forward(self, x: torch.Tensor, adjacency: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, F], adjacency: [N, N] -> representation [N, K + 1, F], logits [N, C]."""
        a = adjacency.to(x.dtype)
        # P = D⁻¹ A (an isolated node keeps a zero row)
        p = a / a.sum(dim=1, keepdim=True).clamp(min=1)
        diffused, current = [x], x
        for _ in range(self.hops):
            current = p @ current
            diffused.append(current)
        # Z_ijk = tanh(W_jk Σ_l P^j_il X_lk)
        z = torch.tanh(self.weight * torch.stack(diffused, dim=1))
        return {"representation": z, "logits": self.dense(z.flatten(1))}
