"""AWARE: Attentive Walk-Aggregating Graph Neural Network, walk features weighted at three levels.

Paper: Attentive Walk-Aggregating Graph Neural Networks (Jin et al., 2022) - https://arxiv.org/abs/2110.02667

AWARE represents a graph by aggregating embeddings of walks of length $1..T$. A vertex
embedding is $f_{(1)}(v) = \\sigma(W_v x_v)$; walks are extended one step at a time with
vertex-level attention over neighbours,
$$S_{vu} = \\underset{u \\in \\mathcal{N}(v)}{\\text{softmax}}\\big((W_s f_{(n-1)}(v))^\\top (W_s f_{(n-1)}(u))\\big),
\\qquad f_{(n)}(v) = \\sigma(W_w f_{(1)}(v)) \\odot \\sum_{u} S_{vu} f_{(n-1)}(u),$$
and at the graph level each walk length is pooled with learned vertex weights,
$h_{(n)} = \\sum_v \\sigma(w_g^\\top f_{(n)}(v))\\, f_{(n)}(v)$. The graph embedding concatenates
$h_{(1..T)}$ and a linear layer predicts the target (graph-level prediction, as in the paper).

Shapes: `x: [N, F]`, `adjacency: [N, N]` -> `graph: [T * H]`, `prediction: [O]`.
"""

from __future__ import annotations

import torch
from torch import nn


class AWARE(nn.Module):
    """Vertex-, walk- and graph-level weighted aggregation of walk embeddings up to length T."""

    def __init__(self, in_features: int = 8, hidden: int = 16, walk_length: int = 3, out_features: int = 1):
        super().__init__()
        self.vertex = nn.Linear(in_features, hidden)
        self.score = nn.Linear(hidden, hidden, bias=False)
        self.walk = nn.Linear(hidden, hidden)
        self.graph_weight = nn.Linear(hidden, 1)
        self.head = nn.Linear(walk_length * hidden, out_features)
        self.walk_length = walk_length

    def forward(self, x: torch.Tensor, adjacency: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, F], adjacency: [N, N] -> graph [T * H], prediction [O]."""
        a = adjacency.bool()
        # f_(1)(v) = σ(W_v x_v)
        first = torch.sigmoid(self.vertex(x))
        f, pooled = first, []
        for n in range(self.walk_length):
            if n > 0:
                # S_vu = softmax over neighbours of (W_s f(v))ᵀ (W_s f(u))
                s = self.score(f)
                logits = (s @ s.T).masked_fill(~a, float("-inf"))
                weights = torch.nan_to_num(torch.softmax(logits, dim=1))
                # f_(n)(v) = σ(W_w f_(1)(v)) ⊙ Σ_u S_vu f_(n−1)(u)
                f = torch.sigmoid(self.walk(first)) * (weights @ f)
            # h_(n) = Σ_v σ(w_gᵀ f_(n)(v)) f_(n)(v)
            pooled.append((torch.sigmoid(self.graph_weight(f)) * f).sum(dim=0))
        graph = torch.cat(pooled)
        return {"graph": graph, "prediction": self.head(graph)}
