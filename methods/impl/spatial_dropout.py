"""SpatialDropout (channel-wise dropout of whole feature maps).

Paper: Efficient Object Localization Using Convolutional Networks - https://arxiv.org/abs/1411.4280

In convolutional feature maps neighbouring activations are strongly correlated, so
ordinary dropout, which zeroes single pixels, barely regularizes: the dropped value can
be read off its neighbours. SpatialDropout instead draws one Bernoulli trial per feature
map (per example and channel) and extends it over the whole map, so each map is either
dropped entirely or kept entirely. For $x \\in \\mathbb{R}^{B \\times C \\times H \\times W}$ and
drop probability $p$, in training

$$r_{bc} \\sim \\text{Bernoulli}(1 - p), \\qquad y_{bchw} = \\frac{r_{bc}}{1 - p} \\, x_{bchw},$$

and at evaluation $y = x$. (The paper scales the weights by $1 - p$ at test time instead;
scaling kept maps by $1 / (1 - p)$ in training, "inverted dropout", gives the same
expectation and is what `nn.Dropout2d` does.)

Shapes: `forward(x: [B, C, *spatial]) -> [B, C, *spatial]` (any number of spatial dims).

Hyperparameters: `p` (drop probability $p$ of a feature map).
"""

from __future__ import annotations

import torch
from torch import nn


class SpatialDropout(nn.Module):
    """Drops whole feature maps with probability `p` ($p$) in training; the identity in eval mode."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"drop probability p must be in [0, 1), got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x: [B, C, *spatial] -> [B, C, *spatial]`; each (example, channel) map is kept or zeroed whole."""
        if not self.training or self.p == 0.0:
            return x
        # r_bc ~ Bernoulli(1 - p): one trial per feature map, broadcast over its spatial positions
        keep = x.new_empty(x.shape[:2] + (1,) * (x.dim() - 2)).bernoulli_(1.0 - self.p)
        # y = r / (1 - p) * x, so that E[y] = x as in evaluation mode
        return x * keep.div_(1.0 - self.p)
