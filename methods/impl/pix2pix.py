"""Pix2Pix: a conditional GAN for paired image-to-image translation - U-Net generator, PatchGAN discriminator, L1 term.

Paper: Image-to-Image Translation with Conditional Adversarial Networks - https://arxiv.org/abs/1611.07004

The generator maps an input image $x$ (and dropout noise) to an output $G(x)$; the discriminator
sees (input, output) pairs, so the GAN is conditional:

$$G^* = \\arg\\min_G \\max_D \\mathcal{L}_{cGAN}(G, D) + \\lambda \\mathcal{L}_{L1}(G), \\quad
\\mathcal{L}_{L1} = \\mathbb{E}\\|y - G(x)\\|_1, \\; \\lambda = 100$$

The generator is a U-Net: encoder C64-C128-...-C512 (4x4 stride-2 convs, LeakyReLU 0.2), decoder of
4x4 transposed convs with ReLU and dropout on the first ones, skip connections concatenating mirrored
layers, tanh output. The discriminator is the 70x70 PatchGAN (`methods.impl.patchgan`) on the
6-channel concatenation. Demo: `ngf` 8 and `depth` 4 (the paper's 8 downsamplings take 256x256).

Shapes: `forward(x: [B, 3, H, W], y: [B, 3, H, W])` -> `{"fake": [B, 3, H, W], "d_real": [B, 1,
h, w], "d_fake": [B, 1, h, w], "g_loss": [], "d_loss": []}`, H and W multiples of $2^{depth}$.

Hyperparameters: `ngf` (64; 8), `ndf` (64; 8), `depth` (8; 4), `lambda_l1` $\\lambda$ (100),
`dropout` (0.5).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.patchgan import PatchGAN


class UNetGenerator(nn.Module):
    """4x4 stride-2 encoder, transposed-conv decoder with mirrored skip concatenations, tanh."""

    def __init__(self, ngf: int = 8, depth: int = 4, dropout: float = 0.5, channels: int = 3) -> None:
        super().__init__()
        widths = [ngf * min(2**i, 8) for i in range(depth)]
        self.down = nn.ModuleList()
        for i, width in enumerate(widths):
            layers: list[nn.Module] = [] if i == 0 else [nn.LeakyReLU(0.2)]
            layers.append(nn.Conv2d(channels if i == 0 else widths[i - 1], width, 4, 2, 1))
            if 0 < i < depth - 1:
                layers.append(nn.BatchNorm2d(width))
            self.down.append(nn.Sequential(*layers))
        self.up = nn.ModuleList()
        for i in reversed(range(depth)):
            in_width = widths[i] if i == depth - 1 else 2 * widths[i]
            out = channels if i == 0 else widths[i - 1]
            layers = [nn.ReLU(), nn.ConvTranspose2d(in_width, out, 4, 2, 1)]
            if i > 0:
                layers.append(nn.BatchNorm2d(out))
                if i >= depth - 2:
                    layers.append(nn.Dropout(dropout))
            else:
                layers.append(nn.Tanh())
            self.up.append(nn.Sequential(*layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W] in (-1, 1)."""
        skips = []
        for layer in self.down:
            x = layer(x)
            skips.append(x)
        x = self.up[0](skips.pop())
        for layer in self.up[1:]:
            x = layer(torch.cat((x, skips.pop()), dim=1))
        return x


class Pix2Pix(nn.Module):
    """U-Net generator, conditional PatchGAN discriminator, cGAN + lambda L1 objective."""

    def __init__(
        self, ngf: int = 8, ndf: int = 8, depth: int = 4, lambda_l1: float = 100.0, dropout: float = 0.5
    ) -> None:
        super().__init__()
        self.lambda_l1 = lambda_l1
        self.generator = UNetGenerator(ngf, depth, dropout)
        self.discriminator = PatchGAN(6, ndf, 3)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: input images, y: paired targets [B, 3, H, W] -> G(x), D's patch logits, both objectives."""
        fake = self.generator(x)
        d_real = self.discriminator(torch.cat((x, y), 1))
        d_fake = self.discriminator(torch.cat((x, fake), 1))
        d_fake_detached = self.discriminator(torch.cat((x, fake.detach()), 1))
        bce = F.binary_cross_entropy_with_logits
        g_loss = bce(d_fake, torch.ones_like(d_fake)) + self.lambda_l1 * F.l1_loss(fake, y)
        d_loss = 0.5 * (
            bce(d_real, torch.ones_like(d_real)) + bce(d_fake_detached, torch.zeros_like(d_fake_detached))
        )
        return {"fake": fake, "d_real": d_real, "d_fake": d_fake, "g_loss": g_loss, "d_loss": d_loss}
