"""k-NN: k-Nearest Neighbors classification, the majority label of the k closest training points.

Paper: Nearest Neighbor Pattern Classification (Cover & Hart, 1967) - https://doi.org/10.1109/TIT.1967.1053964

A query $x$ gets the most frequent label among its $k$ nearest training points in Euclidean
distance, $\\hat y = \\arg\\max_c \\sum_{i \\in N_k(x)} [y_i = c]$ (ties to the smaller class). The
class shares among the neighbours are returned as probabilities. Cover and Hart showed the
1-NN error is at most twice the Bayes error asymptotically. scikit-learn's
`KNeighborsClassifier(algorithm="brute")` is the reference this follows.

Shapes: `train_x: [N, D]`, `train_y: [N]` in [0, C), `query: [M, D]` -> `predictions: [M]`,
`probabilities: [M, C]`, `neighbors: [M, k]`.
"""

from __future__ import annotations

import torch
from torch import nn


class KNearestNeighbors(nn.Module):
    """Majority vote of the k nearest training points."""

    def __init__(self, k: int = 5, num_classes: int = 3):
        super().__init__()
        self.k, self.num_classes = k, num_classes

    def forward(
        self, train_x: torch.Tensor, train_y: torch.Tensor, query: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """train_x: [N, D], train_y: [N], query: [M, D] -> predictions [M], probabilities [M, C], neighbors [M, k]."""
        if self.k > train_x.shape[0]:
            raise ValueError(f"k = {self.k} exceeds the {train_x.shape[0]} training points")
        neighbors = torch.cdist(query, train_x).topk(self.k, largest=False).indices
        votes = nn.functional.one_hot(train_y[neighbors], self.num_classes).to(query.dtype).sum(dim=1)
        # ŷ = argmax_c Σ_{i ∈ N_k(x)} [y_i = c]
        return {"predictions": votes.argmax(dim=1), "probabilities": votes / self.k, "neighbors": neighbors}
