"""Convolutions that PyTorch implements, adapted to the registry.

Reference: PyTorch convolution layers - https://docs.pytorch.org/docs/stable/nn.html#convolution-layers

`torch.nn.Conv2d` covers most named convolutions through its arguments: a
1×1 (pointwise) convolution is `kernel_size=1`, a depthwise convolution is
`groups=in_channels`, a grouped convolution is `groups=g`, a dilated one is
`dilation=d`. The builders below spell those choices out in each method's own
terms and keep the spatial size with "same" padding.
Shapes: `input: [B, C_in, H, W] -> [B, C_out, H', W']` (3-D: `[B, C, D, H, W]`).
"""

from __future__ import annotations

from torch import nn
from torch.nn import Conv1d, Conv2d, Conv3d, ConvTranspose2d, PixelShuffle

__all__ = [
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose2d",
    "PixelShuffle",
    "depthwise",
    "depthwise_separable",
    "dilated",
    "grouped",
    "pointwise",
]


def pointwise(in_channels: int, out_channels: int, bias: bool) -> nn.Conv2d:
    """A 1×1 convolution: a linear map of channels applied at every pixel (Lin et al. 2013)."""
    return nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=bias)


def depthwise(channels: int, kernel_size: int, depth_multiplier: int, bias: bool) -> nn.Conv2d:
    """One k×k filter per input channel (`groups = channels`), `depth_multiplier` outputs each."""
    return nn.Conv2d(
        channels,
        channels * depth_multiplier,
        kernel_size,
        padding=kernel_size // 2,
        groups=channels,
        bias=bias,
    )


def depthwise_separable(in_channels: int, out_channels: int, kernel_size: int, bias: bool) -> nn.Sequential:
    """A depthwise k×k convolution followed by a pointwise 1×1 one (Xception, MobileNet)."""
    return nn.Sequential(
        nn.Conv2d(
            in_channels, in_channels, kernel_size, padding=kernel_size // 2, groups=in_channels, bias=bias
        ),
        nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=bias),
    )


def dilated(in_channels: int, out_channels: int, kernel_size: int, dilation: int) -> nn.Conv2d:
    """A k×k filter with holes: taps `dilation` pixels apart, receptive field d·(k − 1) + 1."""
    return nn.Conv2d(
        in_channels, out_channels, kernel_size, padding=dilation * (kernel_size - 1) // 2, dilation=dilation
    )


def grouped(in_channels: int, out_channels: int, kernel_size: int, groups: int) -> nn.Conv2d:
    """Channels split into `groups` independent convolutions (AlexNet's two GPUs, ResNeXt)."""
    return nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, groups=groups)
