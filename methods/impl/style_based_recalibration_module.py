"""Style-based Recalibration Module (SRM).

Paper: SRM: A Style-based Recalibration Module for Convolutional Neural Networks -
https://arxiv.org/abs/1903.10829

SRM recalibrates channels from their style: each channel is summarised by its
mean and standard deviation (style pooling), the two statistics are mixed by a
channel-wise fully connected layer (one weight vector $w_c \\in \\mathbb{R}^2$
per channel, no cross-channel mixing), batch-normalised and squashed into a
gate that rescales the channel, as in an SE block:

$$\\mu_{nc} = \\frac{1}{HW}\\sum_{h,w} x_{nchw}, \\qquad
  \\sigma_{nc} = \\sqrt{\\frac{1}{HW}\\sum_{h,w} (x_{nchw} - \\mu_{nc})^2}, \\qquad
  t_{nc} = [\\mu_{nc}, \\sigma_{nc}]$$
$$z_{nc} = w_c \\cdot t_{nc}, \\qquad g_{nc} = \\sigma(\\mathrm{BN}(z)_{nc}), \\qquad
  \\hat{x}_{nc} = g_{nc}\\, x_{nc}$$

A small $\\epsilon$ inside the square root keeps the gradient finite for a
constant channel.

Shapes: `forward(x: [B, C, H, W]) -> [B, C, H, W]`.
Hyperparameters: `channels` ($C$).
"""

from __future__ import annotations

import torch
from torch import nn


class StyleBasedRecalibrationModule(nn.Module):
    """SRM: style pooling, style integration (CFC + BN + sigmoid), recalibration.

    `channels` is $C$; `eps` is added to the variance before the square root.
    """

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.eps = eps
        # W in R^{C x 2}: the channel-wise fully connected (CFC) layer, no bias
        self.cfc = nn.Parameter(torch.zeros(channels, 2))
        self.bn = nn.BatchNorm1d(channels)
        nn.init.normal_(self.cfc, std=0.1)

    def style_pooling(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> style features t: [B, C, 2] (mean, standard deviation)."""
        flat = x.flatten(2)
        # mu_nc = 1/HW sum_hw x_nchw
        mean = flat.mean(dim=2)
        # sigma_nc = sqrt(1/HW sum_hw (x_nchw - mu_nc)^2 + eps)
        std = (flat.var(dim=2, unbiased=False) + self.eps).sqrt()
        return torch.stack((mean, std), dim=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        style = self.style_pooling(x)
        # z_nc = w_c . t_nc
        z = (style * self.cfc).sum(dim=2)
        # g = sigma(BN(z))
        gate = torch.sigmoid(self.bn(z))
        # x_hat_nc = g_nc * x_nc
        return x * gate[:, :, None, None]
