"""Swin Transformer: a hierarchical vision Transformer with attention inside shifted local windows.

Paper: Swin Transformer: Hierarchical Vision Transformer using Shifted Windows -
https://arxiv.org/abs/2103.14030

Self-attention is computed within non-overlapping $M \\times M$ windows, so its cost is linear in
the image size; consecutive blocks alternate regular windows (W-MSA) and windows shifted by
$\\lfloor M/2 \\rfloor$ (SW-MSA), implemented as a cyclic shift of the map with a mask that stops
attention between pixels that were not adjacent before the shift. Each window's attention adds a
learned relative position bias $B \\in \\mathbb{R}^{M^2 \\times M^2}$ indexed from a
$(2M-1) \\times (2M-1)$ table:

$$\\mathrm{Attention}(Q, K, V) = \\mathrm{SoftMax}(Q K^\\top / \\sqrt{d} + B) V$$

Patch merging between stages concatenates each 2x2 neighbourhood ($4C$) and projects it to $2C$,
halving the resolution - a feature pyramid like a CNN's. Pre-norm blocks with GELU MLPs. Follows
the official `swin_transformer.py`; stochastic depth is left out.

Shapes: `forward(x: [B, 3, H, W])` -> `logits: [B, num_classes]`, H and W such that each stage's
map divides into windows.

Hyperparameters: `patch_size` (4), `embed_dim` $C$ (96 for Swin-T; 16 here), `depths` ((2, 2, 6,
2); (2, 2)), `heads` ((3, 6, 12, 24); (2, 4)), `window_size` $M$ (7; 4), `mlp_ratio` (4),
`num_classes` (1000; 10).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import FeedForward


def window_partition(x: torch.Tensor, m: int) -> torch.Tensor:
    """[B, H, W, C] -> [B * nW, M * M, C] windows in row-major order."""
    b, h, w, c = x.shape
    x = x.view(b, h // m, m, w // m, m, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, m * m, c)


def window_reverse(windows: torch.Tensor, m: int, h: int, w: int) -> torch.Tensor:
    """[B * nW, M * M, C] -> [B, H, W, C]."""
    c = windows.shape[-1]
    x = windows.view(-1, h // m, w // m, m, m, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, h, w, c)


def relative_position_index(m: int) -> torch.Tensor:
    """[M^2, M^2] index into the (2M-1)^2 bias table for every (query, key) pair of a window."""
    coords = torch.stack(torch.meshgrid(torch.arange(m), torch.arange(m), indexing="ij")).flatten(1)
    relative = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (m - 1)
    return relative[..., 0] * (2 * m - 1) + relative[..., 1]


def shift_mask(h: int, w: int, m: int, shift: int) -> torch.Tensor:
    """[nW, M^2, M^2] boolean: True where two pixels of a shifted window came from the same region."""
    region = torch.zeros(1, h, w, 1)
    count = 0
    for hs in (slice(0, -m), slice(-m, -shift), slice(-shift, None)):
        for ws in (slice(0, -m), slice(-m, -shift), slice(-shift, None)):
            region[:, hs, ws, :] = count
            count += 1
    labels = window_partition(region, m).squeeze(-1)
    return labels[:, :, None] == labels[:, None, :]


class WindowAttention(nn.Module):
    """Multi-head attention within each window, with a learned relative position bias."""

    def __init__(self, dim: int, heads: int, window_size: int) -> None:
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.bias_table = nn.Parameter(torch.randn((2 * window_size - 1) ** 2, heads) * 0.02)
        self.register_buffer("index", relative_position_index(window_size), persistent=False)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: [B * nW, N, C], mask: [nW, N, N] bool -> [B * nW, N, C]."""
        bw, n, c = x.shape
        q, k, v = self.qkv(x).view(bw, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        # Q K^T / sqrt(d) + B
        scores = (q @ k.transpose(-1, -2)) * self.scale + self.bias_table[self.index].permute(2, 0, 1)
        if mask is not None:
            windows = mask.shape[0]
            scores = scores.view(bw // windows, windows, self.heads, n, n)
            scores = scores.masked_fill(~mask[None, :, None], float("-inf")).view(bw, self.heads, n, n)
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(bw, n, c)
        return self.proj(out)


class SwinBlock(nn.Module):
    """LN, (shifted) window attention, residual; LN, MLP, residual."""

    def __init__(self, dim: int, heads: int, window_size: int, shift: int, mlp_ratio: int) -> None:
        super().__init__()
        self.window_size, self.shift = window_size, shift
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attention = WindowAttention(dim, heads, window_size)
        self.mlp = FeedForward(dim, mlp_ratio * dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, H, W, C] -> [B, H, W, C]."""
        _, h, w, _ = x.shape
        # a map no larger than one window is not shifted (the official code's rule)
        m, s = self.window_size, (self.shift if min(h, w) > self.window_size else 0)
        shifted = self.norm1(x)
        mask = None
        if s:
            # cyclic shift up-left by s, then mask pairs that were not neighbours
            shifted = torch.roll(shifted, (-s, -s), (1, 2))
            mask = shift_mask(h, w, m, s).to(x.device)
        windows = self.attention(window_partition(shifted, m), mask)
        shifted = window_reverse(windows, m, h, w)
        if s:
            shifted = torch.roll(shifted, (s, s), (1, 2))
        x = x + shifted
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    """Concatenate 2x2 neighbours (4C), LayerNorm, project to 2C: [B, H, W, C] -> [B, H/2, W/2, 2C]."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(4 * dim)
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.cat((x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]), dim=-1)
        return self.reduction(self.norm(x))


class SwinTransformer(nn.Module):
    """Patch embedding, stages of W-MSA / SW-MSA block pairs with patch merging between, pooled head."""

    def __init__(
        self,
        patch_size: int = 4,
        embed_dim: int = 16,
        depths: tuple[int, ...] = (2, 2),
        heads: tuple[int, ...] = (2, 4),
        window_size: int = 4,
        mlp_ratio: int = 4,
        num_classes: int = 10,
    ) -> None:
        super().__init__()
        self.patch_embed = nn.Conv2d(3, embed_dim, patch_size, patch_size)
        self.patch_norm = nn.LayerNorm(embed_dim)
        self.stages = nn.ModuleList()
        dim = embed_dim
        for i, (depth, h) in enumerate(zip(depths, heads, strict=True)):
            blocks: list[nn.Module] = [PatchMerging(dim // 2)] if i > 0 else []
            blocks += [
                SwinBlock(dim, h, window_size, 0 if j % 2 == 0 else window_size // 2, mlp_ratio)
                for j in range(depth)
            ]
            self.stages.append(nn.Sequential(*blocks))
            dim *= 2
        dim //= 2
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, 3, H, W] -> logits [B, num_classes]."""
        x = self.patch_norm(self.patch_embed(x).permute(0, 2, 3, 1))
        for stage in self.stages:
            x = stage(x)
        return self.head(self.norm(x).mean(dim=(1, 2)))
