"""Auxiliary Classifier: a small classifier head on an intermediate layer, adding its loss during training.

Paper: Going Deeper with Convolutions - https://arxiv.org/abs/1409.4842

GoogLeNet attaches two auxiliary classifiers to the outputs of inception 4a and 4d to push
useful gradients into the lower layers of a deep network. Each is: 5x5 average pooling with stride
3, a 1x1 convolution with 128 filters and ReLU, a fully connected layer with 1,024 units and ReLU,
dropout 0.7, and a linear softmax classifier. During training their losses are added to the main
loss with weight 0.3; at inference they are discarded. (Inception-v3 later reinterpreted them as
regularizers.) Follows torchvision's `InceptionAux` (adaptive 4x4 pooling, equal to 5x5/3 on the
14x14 map of the paper).

Shapes: `forward(x: [B, C, H, W])` -> `logits: [B, num_classes]`.

Hyperparameters: `in_channels` (512 at 4a), `conv_channels` (128; 16 here), `hidden` (1,024; 64),
`pool_size` (4, the paper's 4x4 output), `num_classes` (1000; 10), `dropout` (0.7).
"""

from __future__ import annotations

import torch
from torch import nn


class AuxiliaryClassifier(nn.Module):
    """Average pool, 1x1 conv-ReLU, FC-ReLU, dropout, linear classifier."""

    def __init__(
        self,
        in_channels: int = 64,
        conv_channels: int = 16,
        hidden: int = 64,
        pool_size: int = 4,
        num_classes: int = 10,
        dropout: float = 0.7,
    ) -> None:
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(pool_size)
        self.conv = nn.Sequential(nn.Conv2d(in_channels, conv_channels, 1), nn.ReLU())
        self.fc = nn.Sequential(
            nn.Linear(conv_channels * pool_size**2, hidden), nn.ReLU(), nn.Dropout(dropout)
        )
        self.classifier = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] intermediate features -> logits [B, num_classes]."""
        return self.classifier(self.fc(self.conv(self.pool(x)).flatten(1)))
