"""Causal Convolution.

Paper: WaveNet: A Generative Model for Raw Audio - https://arxiv.org/abs/1609.03499

A causal convolution is a 1-D convolution over time whose output at step $t$ is a
function of the inputs at steps $\\le t$ only, so a model built from them cannot use
the future when it predicts $x_t$ from $x_{<t}$. For 1-D data it is an ordinary
convolution whose input is padded with $(k - 1) d$ zeros on the left and none on the
right (equivalently, a "full" convolution whose output is shifted by that many steps).
With filter length $k$ and dilation $d$ (WaveNet stacks $d = 1, 2, 4, \\dots$):

$$y_t = b + \\sum_{i=0}^{k-1} W_i \\, x_{t - (k - 1 - i) d}, \\qquad x_{s} = 0 \\text{ for } s < 0.$$

The receptive field of one layer is $(k - 1) d + 1$ steps. Masked convolutions (PixelCNN)
are the 2-D counterpart.

Shapes: `forward(x: [B, C_in, T]) -> [B, C_out, T]`.

Hyperparameters: `in_channels`, `out_channels`, `kernel_size` (filter length $k$; 2 in
WaveNet), `dilation` ($d$).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class CausalConv1d(nn.Module):
    """A 1-D convolution that only looks back in time: left padding $(k - 1) d$, no right padding."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int = 2, dilation: int = 1, bias: bool = True
    ) -> None:
        super().__init__()
        self.left_padding = (kernel_size - 1) * dilation
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size, dilation=dilation, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x: [B, C_in, T] -> [B, C_out, T]`; output step t reads inputs t - (k-1)d .. t."""
        # y_t = b + sum_i W_i x_{t-(k-1-i)d}, with x_s = 0 for s < 0: pad (k-1)d zeros on the left only
        return self.conv(F.pad(x, (self.left_padding, 0)))
