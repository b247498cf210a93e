"""Siamese Network: twin networks with tied weights embed two inputs; a distance between the embeddings says whether they match.

Paper: Siamese Neural Networks for One-shot Image Recognition - https://www.cs.cmu.edu/~rsalakhu/papers/oneshot1.pdf

Both images go through the same convolutional network (weight tying makes the map symmetric and
guarantees similar inputs land close together). The twin features are joined by the component-wise
L1 distance, weighted by learned $\\alpha_j$, and a sigmoid gives the probability that the two show
the same class:

$$p = \\sigma\\Big(\\sum_j \\alpha_j \\, |h^{(j)}_{1} - h^{(j)}_{2}|\\Big)$$

trained with binary cross-entropy on same / different pairs; one-shot classification then picks
the support image with the highest $p$. The paper's twin for 105x105 Omniglot images is conv
64@10x10, max pool, 128@7x7, pool, 128@4x4, pool, 256@4x4, then a 4,096-unit sigmoid layer; the
demo halves the depth of that stack at widths 8-16 for 32x32 inputs.

Shapes: `forward(x1: [B, 1, H, W], x2: [B, 1, H, W])` -> `{"logits": [B], "embedding1": [B, D],
"embedding2": [B, D]}`.

Hyperparameters: `channels` (64 in the paper; 8 here), `embedding_dim` $D$ (4,096; 32),
`image_size` (105; 32).
"""

from __future__ import annotations

import torch
from torch import nn


class SiameseNetwork(nn.Module):
    """One conv tower applied to both inputs, weighted L1 distance, one logit."""

    def __init__(self, channels: int = 8, embedding_dim: int = 32, image_size: int = 32) -> None:
        super().__init__()
        self.twin = nn.Sequential(
            nn.Conv2d(1, channels, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(channels, 2 * channels, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
        )
        side = ((image_size - 4) // 2 - 2) // 2
        self.fc = nn.Sequential(nn.Linear(2 * channels * side * side, embedding_dim), nn.Sigmoid())
        # alpha_j: learned weights of the component-wise distance
        self.alpha = nn.Linear(embedding_dim, 1)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 1, H, W] -> h [B, D]."""
        return self.fc(self.twin(x))

    def forward(self, x1: torch.Tensor, x2: torch.Tensor) -> dict[str, torch.Tensor]:
        """x1, x2: [B, 1, H, W] -> same-class logits [B] and both embeddings."""
        h1, h2 = self.embed(x1), self.embed(x2)
        return {"logits": self.alpha((h1 - h2).abs()).squeeze(-1), "embedding1": h1, "embedding2": h2}
