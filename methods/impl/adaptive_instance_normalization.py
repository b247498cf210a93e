"""Adaptive instance normalization (AdaIN), style transfer by matching channel statistics.

Paper: Arbitrary Style Transfer in Real-time with Adaptive Instance Normalization -
https://arxiv.org/abs/1703.06868

Instance normalization with affine parameters taken from another image:
AdaIN(x, y) = σ(y) · (x − μ(x)) / σ(x) + μ(y), where μ and σ are the mean and
standard deviation of each channel of each example over its spatial positions.
The content features x take on the style features' per-channel statistics;
there are no learned parameters. Huang & Belongie apply it to VGG relu4_1
features (512 channels); StyleGAN uses the same operation with σ(y), μ(y)
predicted from a latent. See also Instance Normalization.

Shapes: `forward(content: [B, C, H, W], style: [B, C, H', W']) -> [B, C, H, W]`.
"""

from __future__ import annotations

import torch
from torch import nn


def channel_statistics(x: torch.Tensor, eps: float) -> tuple[torch.Tensor, torch.Tensor]:
    """μ and σ of each channel over space: [B, C, 1, 1] each."""
    mean = x.mean(dim=(2, 3), keepdim=True)
    std = (x.var(dim=(2, 3), keepdim=True, unbiased=False) + eps).sqrt()
    return mean, std


class AdaptiveInstanceNormalization(nn.Module):
    """AdaIN(x, y) = σ(y)(x − μ(x))/σ(x) + μ(y)."""

    def __init__(self, eps: float = 1e-5) -> None:
        super().__init__()
        self.eps = eps

    def forward(self, content: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        """content: [B, C, H, W]; style: [B, C, H', W'] -> content with the style's channel statistics."""
        mu_x, sigma_x = channel_statistics(content, self.eps)
        mu_y, sigma_y = channel_statistics(style, self.eps)
        # σ(y) · (x − μ(x)) / σ(x) + μ(y)
        return sigma_y * (content - mu_x) / sigma_x + mu_y
