"""ConvNeXt: a pure ConvNet modernized step by step toward the design of vision Transformers.

Paper: A ConvNet for the 2020s - https://arxiv.org/abs/2201.03545

Starting from ResNet-50, ConvNeXt adopts: a "patchify" stem (4x4 convolution, stride 4, then
LayerNorm); stage ratios (3, 3, 9, 3); an inverted bottleneck block with the depthwise 7x7
convolution moved first - depthwise 7x7, LayerNorm, 1x1 to $4C$, GELU, 1x1 back to $C$ - with a
single norm and activation per block; layer scale $\\gamma$ (init $10^{-6}$) on the residual
branch; and separate downsampling layers (LayerNorm, 2x2 convolution with stride 2) between
stages. Follows the official `convnext.py` (channels-last Linear layers for the 1x1s);
stochastic depth is left out.

$$x \\leftarrow x + \\gamma \\odot W_2 \\, \\mathrm{GELU}(W_1 \\, \\mathrm{LN}(\\mathrm{DWConv}_{7 \\times 7}(x)))$$

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`, H and W multiples of 32.

Hyperparameters: `depths` ((3, 3, 9, 3) for ConvNeXt-T; (1, 1, 1, 1) here), `dims` ((96, 192,
384, 768); (8, 16, 32, 64)), `layer_scale_init` (1e-6), `num_classes` (1000; 10).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of a [B, C, H, W] map."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(
            x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps
        ).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    """Depthwise 7x7, LayerNorm, 1x1 (4C), GELU, 1x1 (C), layer scale, residual."""

    def __init__(self, dim: int, layer_scale_init: float = 1e-6) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(torch.full((dim,), layer_scale_init))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> [B, C, H, W]."""
        h = self.dwconv(x).permute(0, 2, 3, 1)
        h = self.gamma * self.pwconv2(F.gelu(self.pwconv1(self.norm(h))))
        return x + h.permute(0, 3, 1, 2)


class ConvNeXt(nn.Module):
    """Patchify stem, four stages of ConvNeXt blocks with LN + 2x2/2 downsampling between, LN, head."""

    def __init__(
        self,
        depths: tuple[int, ...] = (1, 1, 1, 1),
        dims: tuple[int, ...] = (8, 16, 32, 64),
        layer_scale_init: float = 1e-6,
        num_classes: int = 10,
    ) -> None:
        super().__init__()
        if len(depths) != len(dims):
            raise ValueError(f"depths {depths} and dims {dims} name different numbers of stages")
        layers: list[nn.Module] = [nn.Conv2d(3, dims[0], 4, 4), LayerNorm2d(dims[0], eps=1e-6)]
        for i, (depth, dim) in enumerate(zip(depths, dims, strict=True)):
            if i > 0:
                layers += [LayerNorm2d(dims[i - 1], eps=1e-6), nn.Conv2d(dims[i - 1], dim, 2, 2)]
            layers += [ConvNeXtBlock(dim, layer_scale_init) for _ in range(depth)]
        self.features = nn.Sequential(*layers)
        self.norm = nn.LayerNorm(dims[-1], eps=1e-6)
        self.head = nn.Linear(dims[-1], num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        return self.head(self.norm(self.features(x).mean(dim=(2, 3))))
