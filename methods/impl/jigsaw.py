"""Jigsaw: self-supervision by recognizing which permutation shuffled an image's 3x3 tiles.

Paper: Unsupervised Learning of Visual Representations by Solving Jigsaw Puzzles (Noroozi &
Favaro, 2016) - https://arxiv.org/abs/1603.09246

The image is cut into a 3x3 grid of tiles, the tiles are shuffled by a permutation chosen from a
fixed set of $P$ permutations (selected to have large Hamming distances from each other), and a
context-free network (CFN) must say which one: each tile goes through the same encoder (shared
weights, a siamese-ennead), the 9 features are concatenated in the shuffled order and a
classifier predicts the permutation index, trained with cross-entropy. The permutation set is
chosen greedily for maximal minimum Hamming distance from a seeded pool, as in the paper's
Algorithm 1 (which picks the farthest permutation from all 9! each time). The demo uses
$P = $ `num_permutations` (paper: 1000) and a small CNN on 8x8 tiles.

Shapes: `image: [B, C, 3t, 3t]`, `permutation: [B]` in [0, P) -> `logits: [B, P]`, `loss: []`,
`permutations: [P, 9]`.
"""

from __future__ import annotations

import torch
from torch import nn


def max_hamming_permutations(count: int, pool: int = 200, seed: int = 0) -> torch.Tensor:
    """`count` permutations of 9 tiles, each the farthest (max min-Hamming) from those chosen before."""
    generator = torch.Generator().manual_seed(seed)
    candidates = torch.stack([torch.randperm(9, generator=generator) for _ in range(max(pool, count))])
    chosen = [0]
    distance = (candidates != candidates[0]).sum(dim=1)
    for _ in range(count - 1):
        best = int(distance.argmax())
        chosen.append(best)
        distance = torch.minimum(distance, (candidates != candidates[best]).sum(dim=1))
    return candidates[chosen]


class JigsawPuzzle(nn.Module):
    """Shared tile encoder, concatenation in shuffled order, permutation classifier."""

    def __init__(self, channels: int = 3, num_permutations: int = 24, feature_dim: int = 32, seed: int = 0):
        super().__init__()
        self.register_buffer("permutations", max_hamming_permutations(num_permutations, seed=seed))
        self.tile_encoder = nn.Sequential(
            nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, feature_dim, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.Linear(9 * feature_dim, 64), nn.ReLU(), nn.Linear(64, num_permutations)
        )

    def forward(self, image: torch.Tensor, permutation: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, C, 3t, 3t], permutation: [B] -> logits [B, P], loss [], permutations [P, 9]."""
        b, c = image.shape[:2]
        t = min(image.shape[-2:]) // 3
        tiles = (
            image[:, :, : 3 * t, : 3 * t]
            .reshape(b, c, 3, t, 3, t)
            .permute(0, 2, 4, 1, 3, 5)
            .reshape(b, 9, c, t, t)
        )
        order = self.permutations[permutation]  # [B, 9]
        shuffled = tiles[torch.arange(b, device=image.device)[:, None], order]
        features = self.tile_encoder(shuffled.flatten(0, 1)).reshape(b, -1)
        logits = self.classifier(features)
        return {
            "logits": logits,
            "loss": nn.functional.cross_entropy(logits, permutation),
            "permutations": self.permutations,
        }
