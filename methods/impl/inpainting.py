"""Inpainting: self-supervised learning by filling a masked image region from its surroundings (Context Encoders).

Paper: Context Encoders: Feature Learning by Inpainting (Pathak et al., 2016) - https://arxiv.org/abs/1604.07379

A region $\\hat M$ of the image (here the central square, the paper's "central region" mask) is
dropped; an encoder-decoder $F$ sees $(1 - \\hat M) \\odot x$ and must predict the missing content.
The reconstruction loss is the masked L2 distance,
$$\\mathcal{L}_{rec}(x) = \\lVert \\hat M \\odot (x - F((1 - \\hat M) \\odot x)) \\rVert_2^2,$$
combined in the paper with an adversarial loss ($\\lambda_{rec} = 0.999$); the encoder's features
are then used for downstream tasks. The demo network is a small conv encoder-decoder with a
channel-wise fully connected bottleneck (the paper's AlexNet-based one has 4000 channels),
and only the reconstruction term is computed.

Shapes: `image: [B, C, H, W]` -> `reconstruction: [B, C, H, W]`, `mask: [1, 1, H, W]`,
`loss: []`.
"""

from __future__ import annotations

import torch
from torch import nn


class ContextEncoder(nn.Module):
    """Encoder-decoder filling the central square from its context, with the masked L2 loss."""

    def __init__(self, channels: int = 3, width: int = 16, mask_fraction: float = 0.5):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
        )  # fmt: skip
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, channels, 4, 2, 1), nn.Tanh(),
        )  # fmt: skip
        self.mask_fraction = mask_fraction

    def central_mask(self, height: int, width: int, device: torch.device) -> torch.Tensor:
        """M̂: 1 on the central square covering `mask_fraction` of each side."""
        mask = torch.zeros(1, 1, height, width, device=device)
        h, w = round(height * self.mask_fraction), round(width * self.mask_fraction)
        top, left = (height - h) // 2, (width - w) // 2
        mask[..., top : top + h, left : left + w] = 1.0
        return mask

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, C, H, W] -> reconstruction [B, C, H, W], mask [1, 1, H, W], loss []."""
        mask = self.central_mask(*image.shape[-2:], image.device)
        reconstruction = self.decoder(self.encoder((1 - mask) * image))
        # L_rec = ‖M̂ ⊙ (x − F((1 − M̂) ⊙ x))‖² per image
        loss = (mask * (image - reconstruction)).square().sum() / image.shape[0]
        return {"reconstruction": reconstruction, "mask": mask, "loss": loss}
