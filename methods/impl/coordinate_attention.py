"""Coordinate Attention.

Paper: Coordinate Attention for Efficient Mobile Network Design - https://arxiv.org/abs/2103.02907

Coordinate attention factorises channel attention into two 1D encodings so the
gate keeps positional information. Each channel is average-pooled along the
width (giving a column profile $z^h$) and along the height (a row profile
$z^w$); the two are concatenated, mixed by a shared 1x1 convolution that
reduces the channels by $r$, batch-normalised and passed through h-swish
$\\delta$; the result is split back and each half is mapped to $C$ channels by
its own 1x1 convolution and a sigmoid:

$$z^h_c(h) = \\frac{1}{W}\\sum_{i} x_c(h, i), \\qquad z^w_c(w) = \\frac{1}{H}\\sum_{j} x_c(j, w)$$
$$f = \\delta(\\mathrm{BN}(F_1([z^h; z^w]))), \\qquad f^h, f^w = \\mathrm{Split}(f)$$
$$g^h = \\sigma(F_h(f^h)), \\qquad g^w = \\sigma(F_w(f^w)), \\qquad
  y_c(i, j) = x_c(i, j)\\, g^h_c(i)\\, g^w_c(j)$$

The reduced width is $\\max(8, C/r)$, as in the authors' code, so that narrow
layers keep a usable bottleneck.

Shapes: `forward(x: [B, C, H, W]) -> [B, C, H, W]`.
Hyperparameters: `channels` ($C$), `reduction` ($r$, paper 32).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class CoordinateAttention(nn.Module):
    """Coordinate information embedding followed by coordinate attention generation.

    `channels` is $C$, `reduction` is $r$.
    """

    def __init__(self, channels: int, reduction: int = 32) -> None:
        super().__init__()
        hidden = max(8, channels // reduction)
        self.conv1 = nn.Conv2d(channels, hidden, kernel_size=1)
        self.bn = nn.BatchNorm2d(hidden)
        self.conv_h = nn.Conv2d(hidden, channels, kernel_size=1)
        self.conv_w = nn.Conv2d(hidden, channels, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        height, width = x.shape[2:]
        # z^h: pool along the width -> [B, C, H, 1]; z^w: pool along the height -> [B, C, W, 1]
        z_h = x.mean(dim=3, keepdim=True)
        z_w = x.mean(dim=2, keepdim=True).transpose(2, 3)
        # f = h_swish(BN(F_1([z^h; z^w]))): [B, C/r, H + W, 1]
        f = F.hardswish(self.bn(self.conv1(torch.cat((z_h, z_w), dim=2))))
        f_h, f_w = torch.split(f, [height, width], dim=2)
        # g^h = sigma(F_h(f^h)): [B, C, H, 1]; g^w = sigma(F_w(f^w)): [B, C, 1, W]
        g_h = torch.sigmoid(self.conv_h(f_h))
        g_w = torch.sigmoid(self.conv_w(f_w.transpose(2, 3)))
        # y_c(i, j) = x_c(i, j) * g^h_c(i) * g^w_c(j)
        return x * g_h * g_w
