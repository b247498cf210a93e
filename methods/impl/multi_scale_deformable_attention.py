"""Multi-Scale Deformable Attention (MSDeformAttn), the attention module of Deformable DETR.

Paper: Deformable DETR: Deformable Transformers for End-to-End Object Detection -
https://arxiv.org/abs/2010.04159

Instead of attending to every pixel, each query attends to a small, learned set of $K$ sampling
points around its reference point on each of $L$ feature levels. The sampling offsets and the
attention weights are both linear projections of the query; the $L K$ weights of a head are
normalized by one softmax. Values are read by bilinear interpolation, so the module stays
differentiable in the sampling locations. With $M$ heads (eq. 3 of the paper):

$$\\mathrm{MSDeformAttn}(z_q, \\hat p_q, \\{x^l\\}_{l=1}^{L}) = \\sum_{m=1}^{M} W_m \\Big[\\sum_{l=1}^{L}
\\sum_{k=1}^{K} A_{mlqk} \\cdot W'_m x^l\\big(\\phi_l(\\hat p_q) + \\Delta p_{mlqk}\\big)\\Big]$$

where $\\hat p_q \\in [0, 1]^2$ is the normalized reference point, $\\phi_l$ rescales it to level
$l$, the offsets $\\Delta p_{mlqk}$ are normalized by the level's width and height, and
$\\sum_{l,k} A_{mlqk} = 1$. Bilinear sampling uses `F.grid_sample` (zero padding,
`align_corners=False`: pixel $i$ of a level of width $W_l$ sits at $(i + 1/2) / W_l$).

Shapes: `MSDeformAttn.forward(query: [B, Lq, C], reference_points: [B, Lq, L, 2],
value: [B, sum_l H_l W_l, C], spatial_shapes: [(H_l, W_l)] * L) -> [B, Lq, C]`.
`MultiScaleDeformableAttention` fixes the pyramid (level $l$ is $\\lceil H / 2^l \\rceil \\times
\\lceil W / 2^l \\rceil$) so it can be called with tensors alone.
Hyperparameters: `d_model` = $C$, `n_heads` = $M$, `n_levels` = $L$, `n_points` = $K$.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def pyramid_shapes(height: int, width: int, n_levels: int) -> list[tuple[int, int]]:
    """Level shapes of a stride-2 pyramid whose finest level is `height` x `width`."""
    return [(math.ceil(height / 2**level), math.ceil(width / 2**level)) for level in range(n_levels)]


def ms_deform_attn_core(
    value: torch.Tensor,
    spatial_shapes: list[tuple[int, int]],
    sampling_locations: torch.Tensor,
    attention_weights: torch.Tensor,
) -> torch.Tensor:
    """The inner sums of eq. 3: bilinear samples of the per-head values, weighted by A.

    value: [B, S, M, D] (S = sum_l H_l W_l, levels concatenated in order);
    sampling_locations: [B, Lq, M, L, K, 2] as normalized (x, y);
    attention_weights: [B, Lq, M, L, K] -> [B, Lq, M * D].
    """
    batch, _, heads, head_dim = value.shape
    queries = sampling_locations.shape[1]
    levels = value.split([h * w for h, w in spatial_shapes], dim=1)
    # grid_sample reads [-1, 1]; with align_corners=False, -1 and 1 are the outer pixel edges
    grids = 2 * sampling_locations - 1
    samples = []
    for level, (h, w) in enumerate(spatial_shapes):
        level_value = levels[level].flatten(2).transpose(1, 2).reshape(batch * heads, head_dim, h, w)
        level_grid = grids[:, :, :, level].transpose(1, 2).flatten(0, 1)
        # x^l(phi_l(p_q) + Delta p_mlqk): [B * M, D, Lq, K]
        samples.append(
            F.grid_sample(level_value, level_grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        )
    weights = attention_weights.transpose(1, 2).reshape(batch * heads, 1, queries, -1)
    # sum_l sum_k A_mlqk * x^l(...)
    out = (torch.stack(samples, dim=-2).flatten(-2) * weights).sum(-1)
    return out.view(batch, heads * head_dim, queries).transpose(1, 2)


class MSDeformAttn(nn.Module):
    """Multi-scale deformable attention (eq. 3), with the paper's initialization.

    `d_model` is C, `n_levels` is L, `n_heads` is M, `n_points` is K (sampling points per head and level).
    """

    def __init__(self, d_model: int = 256, n_levels: int = 4, n_heads: int = 8, n_points: int = 4) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model ({d_model}) must be divisible by n_heads ({n_heads})")
        self.d_model, self.n_levels, self.n_heads, self.n_points = d_model, n_levels, n_heads, n_points
        self.sampling_offsets = nn.Linear(d_model, n_heads * n_levels * n_points * 2)
        self.attention_weights = nn.Linear(d_model, n_heads * n_levels * n_points)
        self.value_proj = nn.Linear(d_model, d_model)
        self.output_proj = nn.Linear(d_model, d_model)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Offsets start on a ring: head m points in direction 2 pi m / M, point k at distance k + 1."""
        nn.init.zeros_(self.sampling_offsets.weight)
        angles = torch.arange(self.n_heads, dtype=torch.float32) * (2.0 * math.pi / self.n_heads)
        directions = torch.stack((angles.cos(), angles.sin()), dim=-1)
        directions = directions / directions.abs().max(dim=-1, keepdim=True).values
        scale = torch.arange(1, self.n_points + 1, dtype=torch.float32)[None, None, :, None]
        grid = directions[:, None, None, :].repeat(1, self.n_levels, self.n_points, 1) * scale
        with torch.no_grad():
            self.sampling_offsets.bias.copy_(grid.flatten())
        nn.init.zeros_(self.attention_weights.weight)
        nn.init.zeros_(self.attention_weights.bias)
        for projection in (self.value_proj, self.output_proj):
            nn.init.xavier_uniform_(projection.weight)
            nn.init.zeros_(projection.bias)

    def forward(
        self,
        query: torch.Tensor,
        reference_points: torch.Tensor,
        value: torch.Tensor,
        spatial_shapes: list[tuple[int, int]],
    ) -> torch.Tensor:
        """query: [B, Lq, C] (z_q, positional encoding included); reference_points: [B, Lq, L, 2] as
        normalized (x, y) per level; value: [B, sum_l H_l W_l, C]; spatial_shapes: L pairs (H_l, W_l)
        -> [B, Lq, C]."""
        batch, queries, _ = query.shape
        heads, levels, points = self.n_heads, self.n_levels, self.n_points
        # W'_m x: per-head values
        projected = self.value_proj(value).view(batch, value.shape[1], heads, self.d_model // heads)
        offsets = self.sampling_offsets(query).view(batch, queries, heads, levels, points, 2)
        # A_mlqk: softmax over the L K sampling points of each head
        weights = self.attention_weights(query).view(batch, queries, heads, levels * points)
        weights = weights.softmax(-1).view(batch, queries, heads, levels, points)
        # phi_l(p_q) + Delta p_mlqk, with the offsets normalized by the level's (W_l, H_l)
        normalizer = query.new_tensor([[w, h] for h, w in spatial_shapes])
        locations = (
            reference_points[:, :, None, :, None, :] + offsets / normalizer[None, None, None, :, None, :]
        )
        # W_m [...]: the output projection mixes the concatenated heads
        return self.output_proj(ms_deform_attn_core(projected, spatial_shapes, locations, weights))


class MultiScaleDeformableAttention(MSDeformAttn):
    """MSDeformAttn over a fixed stride-2 pyramid whose finest level is `height` x `width`.

    `value_len` is sum_l H_l W_l, the length the flattened value must have.
    """

    def __init__(
        self,
        d_model: int,
        n_heads: int,
        n_levels: int,
        n_points: int,
        height: int,
        width: int,
        value_len: int,
    ) -> None:
        super().__init__(d_model=d_model, n_levels=n_levels, n_heads=n_heads, n_points=n_points)
        self.spatial_shapes = pyramid_shapes(height, width, n_levels)
        self.value_len = value_len

    def forward(
        self, query: torch.Tensor, reference_points: torch.Tensor, value: torch.Tensor
    ) -> torch.Tensor:
        """query: [B, Lq, C]; reference_points: [B, Lq, L, 2] in [0, 1]; value: [B, value_len, C]
        -> [B, Lq, C]."""
        if value.shape[1] != self.value_len:
            raise ValueError(f"value has {value.shape[1]} positions; the pyramid has {self.value_len}")
        return super().forward(query, reference_points, value, self.spatial_shapes)
