"""COLA: contrastive learning of general-purpose audio representations.

Paper: Contrastive Learning of General-Purpose Audio Representations - https://arxiv.org/abs/2010.10915

COLA pre-trains an audio encoder without labels by telling apart segments of the same recording from
segments of other recordings. An anchor $x$ and a positive $x^+$ are two log-mel segments cropped
from the same clip; the positives of the other anchors in the batch serve as negatives $X^-$, so no
memory bank or momentum encoder is needed. Each segment goes through the encoder (EfficientNet-B0
with global max pooling in the paper) and a projection head $g$ (a dense layer, LayerNorm and tanh);
segments are compared by a learned bilinear similarity and trained with multi-class cross-entropy:

$$ s(x, x') = g(x)^\\top W g(x') $$
$$ \\mathcal{L} = -\\log \\frac{\\exp(s(x, x^+))}{\\sum_{x^- \\in X^- \\cup \\{x^+\\}} \\exp(s(x, x^-))} $$

The encoder here is a tiny conv net (three stride-2 conv-BN-swish blocks, swish being EfficientNet's
activation) with the paper's global max pooling; anchors and positives share one forward pass and
so one set of batch-norm statistics.

Shapes: `forward(anchor: [B, 1, F, T], positive: [B, 1, F, T])` (log-mel segments: F mel bins, T
frames) -> `{"similarities": [B, B] (row i: anchor i against every positive), "loss": []}`.

Hyperparameters: `channels` (the toy encoder's base width), `projection_dim` (512 in the paper,
the size of $g(x)$ and of the $W$ matrix's sides).
"""

from __future__ import annotations

from itertools import pairwise

import torch
import torch.nn.functional as F
from torch import nn


class AudioEncoder(nn.Module):
    """Conv-BN-swish blocks over a log-mel segment, then global max pooling over frequency and time."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        widths = (1, channels, 2 * channels, 4 * channels)
        self.blocks = nn.Sequential(
            *(
                nn.Sequential(nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.SiLU())
                for cin, cout in pairwise(widths)
            )
        )
        self.out_dim = widths[-1]

    def forward(self, segment: torch.Tensor) -> torch.Tensor:
        """segment: [B, 1, F, T] -> [B, 4 * channels]."""
        return self.blocks(segment).amax(dim=(2, 3))


class COLA(nn.Module):
    """Encoder, projection head g and bilinear similarity W."""

    def __init__(self, channels: int = 16, projection_dim: int = 32) -> None:
        super().__init__()
        self.encoder = AudioEncoder(channels)
        self.projection = nn.Sequential(
            nn.Linear(self.encoder.out_dim, projection_dim), nn.LayerNorm(projection_dim), nn.Tanh()
        )
        self.bilinear = nn.Parameter(nn.init.xavier_uniform_(torch.empty(projection_dim, projection_dim)))

    def embed(self, segment: torch.Tensor) -> torch.Tensor:
        """segment: [B, 1, F, T] -> g(x): [B, projection_dim]."""
        # g(x) = tanh(LN(W_g h(x) + b_g))
        return self.projection(self.encoder(segment))

    def forward(self, anchor: torch.Tensor, positive: torch.Tensor) -> dict[str, torch.Tensor]:
        """anchor, positive: [B, 1, F, T], row i of each cut from recording i ->
        {"similarities": [B, B], "loss": []}."""
        g = self.embed(torch.cat([anchor, positive]))
        g_anchor, g_positive = g.split(anchor.shape[0])
        # s(x_i, x'_j) = g(x_i)^T W g(x'_j)
        similarities = g_anchor @ self.bilinear @ g_positive.t()
        # -log softmax over j of s(x_i, x'_j), target j = i
        loss = F.cross_entropy(similarities, torch.arange(anchor.shape[0], device=anchor.device))
        return {"similarities": similarities, "loss": loss}
