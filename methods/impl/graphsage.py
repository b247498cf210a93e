"""GraphSAGE: inductive node embeddings by sampling and aggregating features from a node's neighbourhood.

Paper: Inductive Representation Learning on Large Graphs - https://arxiv.org/abs/1706.02216

Instead of a per-node embedding table, GraphSAGE learns aggregator functions, so it embeds nodes
never seen in training. At depth $k$ (Algorithm 1):

$$h^k_{\\mathcal{N}(v)} = \\mathrm{AGGREGATE}_k(\\{h^{k-1}_u, \\forall u \\in \\mathcal{N}(v)\\}), \\quad
h^k_v = \\sigma\\big(W^k \\cdot [h^{k-1}_v \\, \\| \\, h^k_{\\mathcal{N}(v)}]\\big), \\quad
h^k_v \\leftarrow h^k_v / \\|h^k_v\\|_2$$

with the mean aggregator here (the paper also has LSTM and max-pooling aggregators), $K = 2$ and
ReLU. Neighbourhood sampling draws a fixed-size set per node for minibatches; this demo aggregates
the full neighbourhood of a small graph (an isolated node's aggregate is 0).

Shapes: `forward(x: [N, F], adj: [N, N])` -> `embeddings: [N, D]`.

Hyperparameters: `in_features` $F$ (16 here), `hidden` (the dimension of every layer; 256 in the
paper, 32 here), `depth` $K$ (2).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.gcn import undirected


class GraphSAGE(nn.Module):
    """K mean-aggregator layers on [self || neighbour mean], each L2-normalized."""

    def __init__(self, in_features: int = 16, hidden: int = 32, depth: int = 2) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Linear(2 * (in_features if k == 0 else hidden), hidden) for k in range(depth)
        )

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> torch.Tensor:
        """x: [N, F], adj: [N, N] -> embeddings z_v = h^K_v [N, D]."""
        a = undirected(adj)
        # mean over N(v); zero for an isolated node
        mean = a / a.sum(1, keepdim=True).clamp(min=1)
        h = x
        for layer in self.layers:
            h = F.relu(layer(torch.cat((h, mean @ h), dim=-1)))
            h = F.normalize(h, dim=-1)
        return h
