"""Deformable convolution, a convolution whose sampling grid is shifted by learned offsets.

Paper: Deformable Convolutional Networks - https://arxiv.org/abs/1703.06211

A regular k×k convolution samples the fixed grid R = {(−1, −1), …, (1, 1)} around
each output position p₀. A deformable convolution adds an offset Δp_n per
tap, predicted from the input by a parallel convolution (initialised to zero,
so training starts from the regular grid):
y(p₀) = Σ_{p_n ∈ R} w(p_n) · x(p₀ + p_n + Δp_n), the fractional locations read by
bilinear interpolation. This follows torchvision's `ops.DeformConv2d` (v1,
no modulation), computed with `grid_sample` on the k² shifted grids and then a
1×1 reduction of the stacked samples by the kernel weights.

Shapes: `forward(x: [B, C_in, H, W]) -> {"output": [B, C_out, H, W], "offsets": [B, 2k², H, W]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class DeformableConv2d(nn.Module):
    """y(p₀) = Σ_n w(p_n) x(p₀ + p_n + Δp_n), stride 1, "same" padding, offsets from a 3×3 convolution."""

    def __init__(self, in_channels: int = 8, out_channels: int = 8, kernel_size: int = 3) -> None:
        super().__init__()
        self.k = kernel_size
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, kernel_size, kernel_size))
        nn.init.kaiming_uniform_(self.weight, a=5**0.5)
        self.bias = nn.Parameter(torch.zeros(out_channels))
        # Δp: (dy, dx) for each of the k² taps, zero at the start (the regular grid)
        self.offset = nn.Conv2d(in_channels, 2 * kernel_size * kernel_size, 3, padding=1)
        nn.init.zeros_(self.offset.weight)
        nn.init.zeros_(self.offset.bias)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C_in, H, W] -> the output and the predicted offsets (dy, dx per tap)."""
        h, w = x.shape[-2:]
        k = self.k
        offsets = self.offset(x)  # [B, 2k², H, W]
        ys, xs = torch.meshgrid(
            torch.arange(h, device=x.device, dtype=x.dtype),
            torch.arange(w, device=x.device, dtype=x.dtype),
            indexing="ij",
        )
        samples = []
        for n in range(k * k):
            # p₀ + p_n + Δp_n, with p_n on the centred k×k grid
            dy, dx = n // k - (k - 1) / 2, n % k - (k - 1) / 2
            py = ys + dy + offsets[:, 2 * n]
            px = xs + dx + offsets[:, 2 * n + 1]
            # bilinear read at fractional locations; outside the image reads zero
            grid = torch.stack([2 * px / max(w - 1, 1) - 1, 2 * py / max(h - 1, 1) - 1], dim=-1)
            samples.append(F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True))
        stacked = torch.stack(samples, dim=2)  # [B, C_in, k², H, W]
        # Σ_n w(p_n) · sample_n, summed over input channels too
        out = (
            torch.einsum("bcnhw,ocn->bohw", stacked, self.weight.flatten(2)) + self.bias[None, :, None, None]
        )
        return {"output": out, "offsets": offsets}
