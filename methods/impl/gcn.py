"""GCN (Graph Convolutional Network): layers that average neighbour features with a symmetric normalization.

Paper: Semi-Supervised Classification with Graph Convolutional Networks - https://arxiv.org/abs/1609.02907

A first-order approximation of spectral graph convolutions gives the layer-wise propagation rule

$$H^{(l+1)} = \\sigma\\big(\\tilde D^{-1/2} \\tilde A \\tilde D^{-1/2} H^{(l)} W^{(l)}\\big), \\quad
\\tilde A = A + I_N, \\; \\tilde D_{ii} = \\textstyle\\sum_j \\tilde A_{ij}$$

(the self-loops are the renormalization trick). The paper's model for semi-supervised node
classification is two layers, $Z = \\mathrm{softmax}(\\hat A \\, \\mathrm{ReLU}(\\hat A X W^{(0)}) W^{(1)})$,
with dropout 0.5 on each layer's input; here logits are returned. The adjacency is taken as
undirected: $A = \\max(A, A^\\top)$ with a zero diagonal.

Shapes: `forward(x: [N, F], adj: [N, N])` -> `logits: [N, C]`.

Hyperparameters: `in_features` $F$ (1,433 for Cora; 16 here), `hidden` (16), `num_classes` $C$ (7),
`dropout` (0.5).
"""

from __future__ import annotations

import torch
from torch import nn


def undirected(adj: torch.Tensor) -> torch.Tensor:
    """A 0/1 float adjacency [N, N]: symmetric, no self-loops."""
    a = adj.float()
    a = torch.maximum(a, a.t())
    return a * (1 - torch.eye(a.shape[0], device=a.device))


def normalized_adjacency(adj: torch.Tensor) -> torch.Tensor:
    """D~^{-1/2} (A + I) D~^{-1/2} for a symmetric [N, N] adjacency."""
    a = adj + torch.eye(adj.shape[0], device=adj.device)
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None, :]


class GCN(nn.Module):
    """Two graph convolutions with ReLU and dropout."""

    def __init__(
        self, in_features: int = 16, hidden: int = 16, num_classes: int = 7, dropout: float = 0.5
    ) -> None:
        super().__init__()
        self.w0 = nn.Linear(in_features, hidden)
        self.w1 = nn.Linear(hidden, num_classes)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> torch.Tensor:
        """x: [N, F], adj: [N, N] (0/1) -> logits [N, C]."""
        a_hat = normalized_adjacency(undirected(adj))
        # H1 = ReLU(A_hat X W0); Z = A_hat H1 W1
        h = torch.relu(a_hat @ self.w0(self.dropout(x)))
        return a_hat @ self.w1(self.dropout(h))
