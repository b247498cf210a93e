"""GAT (Graph Attention Network): each node attends over its neighbours with learned, masked self-attention.

Paper: Graph Attention Networks - https://arxiv.org/abs/1710.10903

For node features $h_i$ and a shared linear map $W$, attention coefficients over the neighbourhood
$\\mathcal{N}_i$ (including $i$) are

$$\\alpha_{ij} = \\frac{\\exp(\\mathrm{LeakyReLU}(a^\\top [W h_i \\| W h_j]))}{\\sum_{k \\in \\mathcal{N}_i}
\\exp(\\mathrm{LeakyReLU}(a^\\top [W h_i \\| W h_k]))}, \\quad h'_i = \\sigma\\Big(\\sum_{j \\in \\mathcal{N}_i}
\\alpha_{ij} W h_j\\Big)$$

with LeakyReLU slope 0.2. $K$ independent heads are concatenated in hidden layers (ELU) and averaged
in the output layer. The transductive model: 8 heads of 8 features, then one output head; dropout
0.6 on inputs and on the attention coefficients.

Shapes: `forward(x: [N, F], adj: [N, N])` -> `{"logits": [N, C], "attention": [K, N, N]}` (the
first layer's coefficients).

Hyperparameters: `in_features` $F$ (16 here), `hidden` $F'$ per head (8), `heads` $K$ (8),
`num_classes` $C$ (7), `dropout` (0.6).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.gcn import undirected


class GATLayer(nn.Module):
    """K heads of masked attention over neighbours: concatenated or averaged."""

    def __init__(self, in_features: int, out_features: int, heads: int, concat: bool, dropout: float) -> None:
        super().__init__()
        self.heads, self.out_features, self.concat = heads, out_features, concat
        self.w = nn.Linear(in_features, heads * out_features, bias=False)
        self.a_src = nn.Parameter(torch.randn(heads, out_features) * 0.1)
        self.a_dst = nn.Parameter(torch.randn(heads, out_features) * 0.1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """h: [N, F], mask: [N, N] bool (neighbours and self) -> ([N, K F'] or [N, F'], alpha [K, N, N])."""
        wh = self.w(h).view(-1, self.heads, self.out_features)
        # a^T [W h_i || W h_j] = a_1^T W h_i + a_2^T W h_j
        e = (wh * self.a_src).sum(-1).t()[:, :, None] + (wh * self.a_dst).sum(-1).t()[:, None, :]
        e = F.leaky_relu(e, 0.2).masked_fill(~mask, float("-inf"))
        alpha = e.softmax(dim=-1)
        out = torch.einsum("kij,jkf->ikf", self.dropout(alpha), wh)
        return (out.reshape(out.shape[0], -1) if self.concat else out.mean(1)), alpha


class GAT(nn.Module):
    """Dropout, K-head attention layer (concat, ELU), dropout, one averaged output head."""

    def __init__(
        self,
        in_features: int = 16,
        hidden: int = 8,
        heads: int = 8,
        num_classes: int = 7,
        dropout: float = 0.6,
    ) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.layer1 = GATLayer(in_features, hidden, heads, True, dropout)
        self.layer2 = GATLayer(heads * hidden, num_classes, 1, False, dropout)

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, F], adj: [N, N] -> logits [N, C] and the first layer's attention [K, N, N]."""
        mask = (undirected(adj) + torch.eye(adj.shape[0], device=adj.device)) > 0
        h, attention = self.layer1(self.dropout(x), mask)
        logits, _ = self.layer2(self.dropout(F.elu(h)), mask)
        return {"logits": logits, "attention": attention}
