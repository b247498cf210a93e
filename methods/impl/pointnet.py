"""PointNet: deep learning directly on unordered point sets, made permutation invariant by a symmetric max pool.

Paper: PointNet: Deep Learning on Point Sets for 3D Classification and Segmentation -
https://arxiv.org/abs/1612.00593

Each point is processed independently by shared MLPs (1x1 convolutions), and a global feature is
their max over points - a symmetric function, so the output does not depend on the points' order:
$f(\\{x_1, \\ldots, x_n\\}) \\approx \\gamma(\\max_i h(x_i))$. Two mini-networks (T-nets) predict
alignment transforms, a 3x3 one on the input coordinates and a 64x64 one on the point features,
the latter regularized towards orthogonality,

$$L_{reg} = \\| I - A A^\\top \\|_F^2$$

The classification network: input transform, MLP(64, 64), feature transform, MLP(64, 128, 1,024),
max pool, MLP(512, 256, k) with dropout 0.3. Follows the authors' PyTorch port (T-nets
initialized to the identity). Demo: widths divided by `width_div` (8).

Shapes: `forward(points: [B, 3, n])` -> `{"logits": [B, k], "global_feature": [B, 1024 /
width_div], "reg_loss": []}`.

Hyperparameters: `num_classes` $k$ (40 for ModelNet40; 10 here), `width_div` (1 is the paper; 8),
`dropout` (0.3).
"""

from __future__ import annotations

import itertools

import torch
from torch import nn


def _shared_mlp(widths: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for a, b in itertools.pairwise(widths):
        layers += [nn.Conv1d(a, b, 1), nn.BatchNorm1d(b), nn.ReLU()]
    return nn.Sequential(*layers)


class TNet(nn.Module):
    """Predicts a k x k transform from the point set: shared MLP, max pool, FC layers, + identity."""

    def __init__(self, k: int, width_div: int) -> None:
        super().__init__()
        self.k = k
        self.features = _shared_mlp([k, 64 // width_div, 128 // width_div, 1024 // width_div])
        self.fc = nn.Sequential(
            nn.Linear(1024 // width_div, 512 // width_div),
            nn.ReLU(),
            nn.Linear(512 // width_div, 256 // width_div),
            nn.ReLU(),
            nn.Linear(256 // width_div, k * k),
        )
        nn.init.zeros_(self.fc[-1].weight)
        nn.init.zeros_(self.fc[-1].bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, k, n] -> A [B, k, k], the identity at initialization."""
        delta = self.fc(self.features(x).max(dim=2).values).view(-1, self.k, self.k)
        return delta + torch.eye(self.k, device=x.device)


class PointNet(nn.Module):
    """Input T-net, shared MLPs, feature T-net, max pool, classifier; orthogonality regularizer."""

    def __init__(self, num_classes: int = 10, width_div: int = 8, dropout: float = 0.3) -> None:
        super().__init__()
        w64, w128, w1024 = 64 // width_div, 128 // width_div, 1024 // width_div
        self.input_transform = TNet(3, width_div)
        self.mlp1 = _shared_mlp([3, w64, w64])
        self.feature_transform = TNet(w64, width_div)
        self.mlp2 = _shared_mlp([w64, w128, w1024])
        self.classifier = nn.Sequential(
            nn.Linear(w1024, 512 // width_div),
            nn.BatchNorm1d(512 // width_div),
            nn.ReLU(),
            nn.Linear(512 // width_div, 256 // width_div),
            nn.Dropout(dropout),
            nn.BatchNorm1d(256 // width_div),
            nn.ReLU(),
            nn.Linear(256 // width_div, num_classes),
        )

    def forward(self, points: torch.Tensor) -> dict[str, torch.Tensor]:
        """points: [B, 3, n] -> class logits, the global feature and L_reg."""
        x = torch.bmm(self.input_transform(points).transpose(1, 2), points)
        x = self.mlp1(x)
        a = self.feature_transform(x)
        x = torch.bmm(a.transpose(1, 2), x)
        # the symmetric function: max over the n points
        global_feature = self.mlp2(x).max(dim=2).values
        identity = torch.eye(a.shape[1], device=a.device)
        # L_reg = ||I - A A^T||_F^2, batch mean
        reg = (identity - a @ a.transpose(1, 2)).pow(2).sum(dim=(1, 2)).mean()
        return {"logits": self.classifier(global_feature), "global_feature": global_feature, "reg_loss": reg}
