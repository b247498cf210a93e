"""StyleGAN: a style-based generator - a mapping network turns z into w, which steers every synthesis layer through AdaIN.

Paper: A Style-Based Generator Architecture for Generative Adversarial Networks - https://arxiv.org/abs/1812.04948

The latent $z$ is normalized and mapped by an 8-layer MLP $f: \\mathcal{Z} \\to \\mathcal{W}$ to an
intermediate latent $w$ (less entangled than $z$). The synthesis network starts from a learned
constant $4 \\times 4$ tensor; after each convolution, per-pixel noise scaled by learned
per-channel factors $B$ is added, and adaptive instance normalization applies a style
$y = (y_s, y_b) = A(w)$, a learned affine map of $w$:

$$\\mathrm{AdaIN}(x_i, y) = y_{s,i} \\frac{x_i - \\mu(x_i)}{\\sigma(x_i)} + y_{b,i}$$

Each resolution doubles by bilinear upsampling followed by two 3x3 convolutions (the first
resolution has only one after the constant), with LeakyReLU 0.2; `to_rgb` is a 1x1 convolution.
(StyleGAN2 later replaced AdaIN by weight modulation and demodulation; this is the original.)
Equalized learning rate, style mixing and truncation are left out. Demo: 16x16 images, widths 32.

Shapes: `forward(z: [B, Z])` -> `{"image": [B, 3, S, S], "w": [B, W]}`, $S = 4 \\cdot 2^{n}$.

Hyperparameters: `z_dim` (512; 32 here), `w_dim` (512; 32), `mapping_layers` (8; 4), `channels`
(512 at low resolutions; 32), `resolution` $S$ (1,024; 16).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class AdaIN(nn.Module):
    """Instance-normalize x, then scale and shift it per channel with the style A(w)."""

    def __init__(self, channels: int, w_dim: int) -> None:
        super().__init__()
        self.affine = nn.Linear(w_dim, 2 * channels)
        # style scales start at 1, biases at 0
        nn.init.zeros_(self.affine.weight)
        with torch.no_grad():
            self.affine.bias.copy_(torch.cat((torch.ones(channels), torch.zeros(channels))))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W], w: [B, W] -> y_s (x - mu) / sigma + y_b."""
        y_s, y_b = self.affine(w)[:, :, None, None].chunk(2, dim=1)
        return y_s * F.instance_norm(x, eps=1e-8) + y_b


class StyledLayer(nn.Module):
    """(optional 2x upsample) 3x3 conv, noise B * n, LeakyReLU, AdaIN(w)."""

    def __init__(self, in_channels: int, out_channels: int, w_dim: int, upsample: bool) -> None:
        super().__init__()
        self.upsample = upsample
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.noise_strength = nn.Parameter(torch.zeros(1, out_channels, 1, 1))
        self.adain = AdaIN(out_channels, w_dim)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        if self.upsample:
            x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        x = self.conv(x)
        noise = torch.randn(x.shape[0], 1, *x.shape[2:], device=x.device)
        x = F.leaky_relu(x + self.noise_strength * noise, 0.2)
        return self.adain(x, w)


class StyleGAN(nn.Module):
    """Mapping network z -> w; synthesis from a constant through AdaIN-styled, noised conv layers."""

    def __init__(
        self,
        z_dim: int = 32,
        w_dim: int = 32,
        mapping_layers: int = 4,
        channels: int = 32,
        resolution: int = 16,
    ) -> None:
        super().__init__()
        steps = int(math.log2(resolution // 4))
        if 4 * 2**steps != resolution:
            raise ValueError(f"resolution {resolution} is not 4 * 2^n")
        mapping: list[nn.Module] = []
        for i in range(mapping_layers):
            mapping += [nn.Linear(z_dim if i == 0 else w_dim, w_dim), nn.LeakyReLU(0.2)]
        self.mapping = nn.Sequential(*mapping)
        self.constant = nn.Parameter(torch.ones(1, channels, 4, 4))
        layers = [StyledLayer(channels, channels, w_dim, upsample=False)]
        for _ in range(steps):
            layers += [
                StyledLayer(channels, channels, w_dim, True),
                StyledLayer(channels, channels, w_dim, False),
            ]
        self.synthesis = nn.ModuleList(layers)
        self.to_rgb = nn.Conv2d(channels, 3, 1)

    def forward(self, z: torch.Tensor) -> dict[str, torch.Tensor]:
        """z: [B, Z] -> image [B, 3, S, S], w [B, W]."""
        # pixel norm of z, then w = f(z)
        z = z * torch.rsqrt(z.pow(2).mean(dim=1, keepdim=True) + 1e-8)
        w = self.mapping(z)
        x = self.constant.expand(z.shape[0], -1, -1, -1)
        for layer in self.synthesis:
            x = layer(x, w)
        return {"image": self.to_rgb(x), "w": w}
