"""AlexNet: five convolutional and three fully connected layers, with ReLU, LRN, overlapping pooling and dropout.

Paper: ImageNet Classification with Deep Convolutional Neural Networks -
https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html

Conv 11x11/4 (96) - LRN - max pool 3/2 - conv 5x5 (256) - LRN - max pool 3/2 - conv 3x3 (384) -
conv 3x3 (384) - conv 3x3 (256) - max pool 3/2 - FC 4096 - FC 4096 - FC 1000, ReLU after every
layer, dropout 0.5 before the first two fully connected layers. Its contributions: ReLU instead
of saturating units, local response normalization

$$b^i_{x,y} = a^i_{x,y} \\Big/ \\Big(k + \\alpha \\sum_{j=\\max(0, i-n/2)}^{\\min(N-1, i+n/2)} (a^j_{x,y})^2\\Big)^{\\beta}$$

with $k = 2, n = 5, \\alpha = 10^{-4}, \\beta = 0.75$, and overlapping pooling (3x3 windows,
stride 2). The two-GPU split is not reproduced (like torchvision's `AlexNet`, which also drops
LRN; it is kept here). Demo: widths divided by `width_div` (8) and a 64x64 input.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`, H and W at least 63.

Hyperparameters: `width_div` (1 is the paper's 96-256-384-384-256; 8 here), `hidden` (4,096;
64), `num_classes` (1000; 10), `dropout` (0.5), LRN `size` $n$, `alpha`, `beta`, `k`.
"""

from __future__ import annotations

import torch
from torch import nn


class AlexNet(nn.Module):
    """Five conv layers (two with LRN), overlapping max pooling, three fully connected layers."""

    def __init__(
        self,
        width_div: int = 8,
        hidden: int = 64,
        num_classes: int = 10,
        dropout: float = 0.5,
        size: int = 5,
        alpha: float = 1e-4,
        beta: float = 0.75,
        k: float = 2.0,
    ) -> None:
        super().__init__()
        c1, c2, c3, c4, c5 = (w // width_div for w in (96, 256, 384, 384, 256))
        # the paper's alpha multiplies the plain sum; torch's LocalResponseNorm divides it by n
        lrn = dict(size=size, alpha=alpha * size, beta=beta, k=k)
        self.features = nn.Sequential(
            nn.Conv2d(3, c1, 11, 4, 2),
            nn.ReLU(),
            nn.LocalResponseNorm(**lrn),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(c1, c2, 5, padding=2),
            nn.ReLU(),
            nn.LocalResponseNorm(**lrn),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(c2, c3, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(c3, c4, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(c4, c5, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(3, 2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(c5, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.classifier(self.pool(self.features(x)).flatten(1))
