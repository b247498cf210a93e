"""Deformable DETR: a DETR-style detector whose attention over image features is deformable.

Paper: Deformable DETR: Deformable Transformers for End-to-End Object Detection -
https://arxiv.org/abs/2010.04159

DETR converges slowly because each query starts by attending uniformly to every pixel, and its
encoder costs $O((HW)^2)$. Deformable DETR replaces both the encoder self-attention and the
decoder cross-attention by multi-scale deformable attention (`MSDeformAttn`, see
`multi_scale_deformable_attention.py`): each query reads only $K$ bilinear samples per head and
level around a reference point. Multi-scale backbone features are projected to $C$ channels,
flattened and concatenated; a learned level embedding $e_l$ plus a sine positional encoding tells
the positions apart. In the encoder every pixel is a query, its reference point its own centre;
in the decoder each of the $N_q$ object queries predicts its reference point,
$\\hat p_q = \\sigma(W z_q)$ from its positional half, attends to the other queries (ordinary
self-attention) and then to the features (deformable cross-attention). Heads predict class
logits and boxes relative to the reference point (Appendix A.3):
$\\hat b_q = \\sigma(\\mathrm{MLP}(z_q) + [\\sigma^{-1}(\\hat p_q), 0, 0])$ as $(c_x, c_y, w, h)$.

Toy version: a small strided CNN stands in for ResNet (levels at strides 8, 16, 32, 64 for
`n_levels` = 4), images of one batch share their size (no padding masks, so valid ratios are 1),
and only the last decoder layer is read out (no auxiliary losses or two-stage variant).

Shapes: `forward(image: [B, 3, H, W]) -> {"logits": [B, N_q, n_classes], "boxes": [B, N_q, 4]}`.
Hyperparameters: `d_model` = $C$, `n_heads` = $M$, `n_levels` = $L$, `n_points` = $K$,
`num_queries` = $N_q$.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.multi_scale_deformable_attention import MSDeformAttn


def sine_position_encoding(height: int, width: int, d_model: int, like: torch.Tensor) -> torch.Tensor:
    """DETR's 2-D sine encoding with Deformable DETR's half-pixel offset: [H * W, d_model].

    PE(y, 2i) = sin(y' / T^{2i / (C/2)}), PE(y, 2i+1) = cos(...), y' = 2 pi (y - 1/2) / H, T = 10000;
    the first C/2 channels encode y, the last C/2 encode x.
    """
    half = d_model // 2
    ys = (torch.arange(1, height + 1, device=like.device, dtype=like.dtype) - 0.5) / height * 2 * math.pi
    xs = (torch.arange(1, width + 1, device=like.device, dtype=like.dtype) - 0.5) / width * 2 * math.pi
    dim_t = 10000 ** (2 * (torch.arange(half, device=like.device, dtype=like.dtype) // 2) / half)
    pos_y, pos_x = ys[:, None] / dim_t, xs[:, None] / dim_t
    # interleave sin on even channels, cos on odd ones
    pos_y = torch.stack((pos_y[:, 0::2].sin(), pos_y[:, 1::2].cos()), dim=-1).flatten(1)
    pos_x = torch.stack((pos_x[:, 0::2].sin(), pos_x[:, 1::2].cos()), dim=-1).flatten(1)
    grid_y = pos_y[:, None, :].expand(height, width, half)
    grid_x = pos_x[None, :, :].expand(height, width, half)
    return torch.cat((grid_y, grid_x), dim=-1).flatten(0, 1)


def encoder_reference_points(spatial_shapes: list[tuple[int, int]], like: torch.Tensor) -> torch.Tensor:
    """Every encoder query's reference point is its pixel centre: [sum_l H_l W_l, 2] as normalized (x, y)."""
    points = []
    for h, w in spatial_shapes:
        ys = (torch.arange(h, device=like.device, dtype=like.dtype) + 0.5) / h
        xs = (torch.arange(w, device=like.device, dtype=like.dtype) + 0.5) / w
        grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
        points.append(torch.stack((grid_x.flatten(), grid_y.flatten()), dim=-1))
    return torch.cat(points)


class DeformableEncoderLayer(nn.Module):
    """Deformable self-attention over all pyramid pixels, then a feed-forward network; post-norm."""

    def __init__(self, d_model: int, n_heads: int, n_levels: int, n_points: int, d_ffn: int, dropout: float):
        super().__init__()
        self.self_attn = MSDeformAttn(d_model, n_levels, n_heads, n_points)
        self.norm1 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, d_ffn), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ffn, d_model)
        )
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(
        self,
        src: torch.Tensor,
        pos: torch.Tensor,
        reference_points: torch.Tensor,
        spatial_shapes: list[tuple[int, int]],
    ) -> torch.Tensor:
        """src, pos: [B, S, C]; reference_points: [B, S, L, 2] -> [B, S, C]."""
        # queries carry the position (z_q + PE + e_l); values are the features alone
        src = self.norm1(src + self.dropout(self.self_attn(src + pos, reference_points, src, spatial_shapes)))
        return self.norm2(src + self.dropout(self.ffn(src)))


class DeformableDecoderLayer(nn.Module):
    """Self-attention among object queries, deformable cross-attention to the memory, FFN; post-norm."""

    def __init__(self, d_model: int, n_heads: int, n_levels: int, n_points: int, d_ffn: int, dropout: float):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.cross_attn = MSDeformAttn(d_model, n_levels, n_heads, n_points)
        self.norm2 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, d_ffn), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ffn, d_model)
        )
        self.norm3 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(
        self,
        tgt: torch.Tensor,
        query_pos: torch.Tensor,
        reference_points: torch.Tensor,
        memory: torch.Tensor,
        spatial_shapes: list[tuple[int, int]],
    ) -> torch.Tensor:
        """tgt, query_pos: [B, N_q, C]; reference_points: [B, N_q, L, 2]; memory: [B, S, C] -> [B, N_q, C]."""
        q = k = tgt + query_pos
        tgt = self.norm1(tgt + self.dropout(self.self_attn(q, k, tgt, need_weights=False)[0]))
        attended = self.cross_attn(tgt + query_pos, reference_points, memory, spatial_shapes)
        tgt = self.norm2(tgt + self.dropout(attended))
        return self.norm3(tgt + self.dropout(self.ffn(tgt)))


class DeformableDETR(nn.Module):
    """Toy backbone, deformable encoder and decoder, class and box heads.

    `d_model` is C, `n_heads` M, `n_levels` L, `n_points` K, `num_queries` N_q; `d_ffn` is the FFN width.
    """

    def __init__(
        self,
        num_classes: int = 5,
        d_model: int = 32,
        n_heads: int = 4,
        n_levels: int = 4,
        n_points: int = 4,
        num_encoder_layers: int = 1,
        num_decoder_layers: int = 1,
        d_ffn: int = 64,
        num_queries: int = 10,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        # stride-8 stem, then one stride-2 stage per further level (C3, C4, C5, C6 of the paper)
        self.stem = nn.Sequential(
            nn.Conv2d(3, d_model // 2, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(d_model // 2, d_model, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(d_model, d_model, 3, stride=2, padding=1),
            nn.ReLU(),
        )
        self.stages = nn.ModuleList(
            nn.Sequential(nn.Conv2d(d_model, d_model, 3, stride=2, padding=1), nn.ReLU())
            for _ in range(n_levels - 1)
        )
        self.input_proj = nn.ModuleList(
            # 8 channels per group, as GroupNorm(32, 256) in the paper
            nn.Sequential(nn.Conv2d(d_model, d_model, 1), nn.GroupNorm(d_model // 8, d_model))
            for _ in range(n_levels)
        )
        # e_l: one learned embedding per level
        self.level_embed = nn.Parameter(torch.randn(n_levels, d_model) * 0.02)
        self.encoder = nn.ModuleList(
            DeformableEncoderLayer(d_model, n_heads, n_levels, n_points, d_ffn, dropout)
            for _ in range(num_encoder_layers)
        )
        self.decoder = nn.ModuleList(
            DeformableDecoderLayer(d_model, n_heads, n_levels, n_points, d_ffn, dropout)
            for _ in range(num_decoder_layers)
        )
        # each object query is a learned (positional part, content part) pair
        self.query_embed = nn.Embedding(num_queries, 2 * d_model)
        self.reference_points = nn.Linear(d_model, 2)
        self.class_embed = nn.Linear(d_model, num_classes)
        self.bbox_embed = nn.Sequential(
            nn.Linear(d_model, d_model),
            nn.ReLU(),
            nn.Linear(d_model, d_model),
            nn.ReLU(),
            nn.Linear(d_model, 4),
        )
        self.d_model = d_model

    def pyramid(self, image: torch.Tensor) -> list[torch.Tensor]:
        """image: [B, 3, H, W] -> L projected maps [B, C, H_l, W_l], finest first."""
        maps = [self.stem(image)]
        for stage in self.stages:
            maps.append(stage(maps[-1]))
        return [proj(m) for proj, m in zip(self.input_proj, maps, strict=True)]

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> logits: [B, N_q, num_classes], boxes: [B, N_q, 4] as normalized (cx, cy, w, h)."""
        maps = self.pyramid(image)
        batch = image.shape[0]
        spatial_shapes = [(m.shape[-2], m.shape[-1]) for m in maps]
        src = torch.cat([m.flatten(2).transpose(1, 2) for m in maps], dim=1)
        # positional encoding plus the level embedding e_l
        pos = torch.cat(
            [
                sine_position_encoding(h, w, self.d_model, src) + self.level_embed[level]
                for level, (h, w) in enumerate(spatial_shapes)
            ]
        ).expand(batch, -1, -1)
        levels = len(spatial_shapes)
        encoder_points = encoder_reference_points(spatial_shapes, src)[None, :, None, :]
        encoder_points = encoder_points.expand(batch, -1, levels, -1)
        memory = src
        for layer in self.encoder:
            memory = layer(memory, pos, encoder_points, spatial_shapes)

        query_pos, tgt = self.query_embed.weight.split(self.d_model, dim=-1)
        query_pos, tgt = query_pos.expand(batch, -1, -1), tgt.expand(batch, -1, -1)
        # p_q = sigmoid(W z_q): the query's reference point, shared by all levels
        reference = self.reference_points(query_pos).sigmoid()
        decoder_points = reference[:, :, None, :].expand(-1, -1, levels, -1)
        hidden = tgt
        for layer in self.decoder:
            hidden = layer(hidden, query_pos, decoder_points, memory, spatial_shapes)

        # b_q = sigmoid(MLP(z_q) + [sigmoid^{-1}(p_q), 0, 0])
        offsets = self.bbox_embed(hidden)
        inverse = torch.logit(reference, eps=1e-5)
        boxes = (offsets + F.pad(inverse, (0, 2))).sigmoid()
        return {"logits": self.class_embed(hidden), "boxes": boxes}
