"""Graph Neural Network: node states updated by messages from neighbours, then read out.

Paper: Graph Neural Networks: A Review of Methods and Applications (Zhou et al., 2020)
- https://arxiv.org/abs/1812.08434

The review's general design is message passing: for $K$ rounds every node aggregates messages
from its neighbours and updates its state,
$$m_v^{(k)} = \\sum_{u \\in \\mathcal{N}(v)} M(h_u^{(k-1)}), \\qquad h_v^{(k)} = U(h_v^{(k-1)}, m_v^{(k)}),$$
and a readout pools node states into a graph representation. Here $M$ is a linear map, the
aggregation the sum over the adjacency matrix, $U$ a GRU cell (as in Gated Graph Neural
Networks, Li et al., 2016) and the readout a sum followed by a linear layer.

Shapes: `x: [N, F]` node features, `adjacency: [N, N]` (0/1) -> `nodes: [N, H]`, `graph: [O]`.
"""

from __future__ import annotations

import torch
from torch import nn


class MessagePassingGNN(nn.Module):
    """K rounds of sum-aggregated linear messages and GRU updates, then a sum readout."""

    def __init__(self, in_features: int = 8, hidden: int = 16, out_features: int = 4, rounds: int = 3):
        super().__init__()
        self.embed = nn.Linear(in_features, hidden)
        self.message = nn.Linear(hidden, hidden)
        self.update = nn.GRUCell(hidden, hidden)
        self.readout = nn.Linear(hidden, out_features)
        self.rounds = rounds

    def forward(self, x: torch.Tensor, adjacency: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, F], adjacency: [N, N] -> nodes [N, H], graph [O]."""
        h = torch.tanh(self.embed(x))
        a = adjacency.to(h.dtype)
        for _ in range(self.rounds):
            # m_v = Σ_{u ∈ N(v)} M(h_u);  h_v = GRU(m_v, h_v)
            h = self.update(a @ self.message(h), h)
        return {"nodes": h, "graph": self.readout(h.sum(dim=0))}
