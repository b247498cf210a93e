"""PatchGAN: a convolutional discriminator that classifies each N x N image patch as real or fake.

Paper: Image-to-Image Translation with Conditional Adversarial Networks - https://arxiv.org/abs/1611.07004

Instead of one real/fake decision per image, the discriminator is fully convolutional and outputs
a grid of decisions, each looking at one patch; averaging them models the image as a Markov
random field, penalizing structure only at the scale of patches (high frequencies) while an L1
term handles the low frequencies. The 70x70 PatchGAN is C64-C128-C256-C512 - 4x4 convolutions,
stride 2 for the first three, BatchNorm except on the first, LeakyReLU 0.2 - then a 4x4
convolution to one channel; `n_layers` = 3 gives the 70-pixel receptive field (computed by
`receptive_field`: each 4x4 layer adds 3 times the product of the earlier strides). Follows the authors'
`NLayerDiscriminator` (pytorch-CycleGAN-and-pix2pix).

Shapes: `forward(x: [B, C, H, W])` -> `logits: [B, 1, H', W']`, one per patch.

Hyperparameters: `in_channels` (3; 6 for pix2pix's conditional input), `ndf` (64; 8 here),
`n_layers` (3 for 70x70; 1 gives 16x16, 2 gives 34x34).
"""

from __future__ import annotations

import torch
from torch import nn


def receptive_field(n_layers: int) -> int:
    """Receptive field of one output: 4x4 kernels, n_layers stride-2 convs, then two stride-1 convs."""
    strides = [2] * n_layers + [1, 1]
    field, jump = 1, 1
    for s in strides:
        field += 3 * jump
        jump *= s
    return field


class PatchGAN(nn.Module):
    """C64 (no norm) - C128 - C256 (stride 2) - C512 (stride 1) - 1-channel 4x4 conv."""

    def __init__(
        self, in_channels: int = 3, ndf: int = 8, n_layers: int = 3, norm_layer=nn.BatchNorm2d
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(in_channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]
        width = ndf
        for i in range(1, n_layers + 1):
            out = ndf * min(2**i, 8)
            stride = 2 if i < n_layers else 1
            layers += [nn.Conv2d(width, out, 4, stride, 1, bias=False), norm_layer(out), nn.LeakyReLU(0.2)]
            width = out
        layers.append(nn.Conv2d(width, 1, 4, 1, 1))
        self.model = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> one logit per patch [B, 1, H', W']."""
        return self.model(x)
