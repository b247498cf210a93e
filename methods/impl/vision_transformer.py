"""Vision Transformer (ViT): an image as a sequence of 16x16 patches fed to a standard Transformer encoder.

Paper: An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale -
https://arxiv.org/abs/2010.11929

The image $x \\in \\mathbb{R}^{H \\times W \\times C}$ is split into $N = HW / P^2$ patches, each
flattened and linearly projected to $D$ dimensions (a $P \\times P$ convolution with stride $P$); a
learnable `[class]` token is prepended and learned position embeddings added:

$$z_0 = [x_{class}; x_p^1 E; \\ldots; x_p^N E] + E_{pos}, \\quad
z'_\\ell = \\mathrm{MSA}(\\mathrm{LN}(z_{\\ell-1})) + z_{\\ell-1}, \\quad
z_\\ell = \\mathrm{MLP}(\\mathrm{LN}(z'_\\ell)) + z'_\\ell, \\quad y = \\mathrm{LN}(z_L^0)$$

and a linear head classifies $y$. Pre-norm layers, GELU MLPs of width $4D$. Follows timm's
`VisionTransformer`.

Shapes: `forward(x: [B, C, H, W])` -> `logits: [B, num_classes]`; H and W multiples of P,
fixed by `image_size` (the position table's length).

Hyperparameters: `image_size` (224; 32 here), `patch_size` $P$ (16; 8 here), `dim` $D$ (768 for
ViT-B; 32 here), `depth` $L$ (12; 2), `heads` (12; 4), `mlp_ratio` (4), `num_classes` (1000;
10), `dropout` (0.1).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import transformer_stack


class PatchEmbedding(nn.Module):
    """Non-overlapping P x P patches projected to D dimensions: [B, C, H, W] -> [B, N, D]."""

    def __init__(self, in_channels: int, dim: int, patch_size: int) -> None:
        super().__init__()
        self.projection = nn.Conv2d(in_channels, dim, patch_size, patch_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.projection(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    """Patch embedding, class token, learned positions, pre-norm encoder, LN, linear head."""

    def __init__(
        self,
        image_size: int = 32,
        patch_size: int = 8,
        in_channels: int = 3,
        dim: int = 32,
        depth: int = 2,
        heads: int = 4,
        mlp_ratio: int = 4,
        num_classes: int = 10,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if image_size % patch_size:
            raise ValueError(f"image_size {image_size} is not a multiple of patch_size {patch_size}")
        patches = (image_size // patch_size) ** 2
        self.patch_embed = PatchEmbedding(in_channels, dim, patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, patches + 1, dim) * 0.02)
        self.dropout = nn.Dropout(dropout)
        self.blocks = transformer_stack(depth, dim, heads, mlp_ratio * dim, dropout=dropout, norm_first=True)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def tokens(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> z_0 [B, N + 1, D]."""
        patches = self.patch_embed(x)
        cls = self.cls_token.expand(patches.shape[0], -1, -1)
        return self.dropout(torch.cat((cls, patches), dim=1) + self.pos_embed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W] -> logits [B, num_classes]."""
        z = self.tokens(x)
        for block in self.blocks:
            z = block(z)
        # y = LN(z_L^0): the class token's final state
        return self.head(self.norm(z)[:, 0])
