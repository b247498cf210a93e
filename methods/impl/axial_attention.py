"""Axial attention, self-attention along one axis of a multidimensional tensor at a time.

Paper: Axial Attention in Multidimensional Transformers - https://arxiv.org/abs/1912.12180

Full self-attention over an H×W image costs O((HW)²). Axial attention attends
along the rows (each position to the W positions of its row) and then along
the columns (to the H positions of its column), O(HW(H + W)) in all; after
both, every position has received information from every other. Each axis
uses its own multi-head attention with learned projections; the two are
applied one after the other with residual connections, as in the paper's
unmasked encoder block.

Shapes: `forward(x: [B, H, W, d]) -> {"output": [B, H, W, d], "row_weights": [B·H, W, W], "column_weights": [B·W, H, H]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class AxialAttention(nn.Module):
    """x ← x + RowAttention(x); x ← x + ColumnAttention(x)."""

    def __init__(self, dim: int = 16, num_heads: int = 2) -> None:
        super().__init__()
        self.rows = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.columns = nn.MultiheadAttention(dim, num_heads, batch_first=True)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, H, W, d] -> the attended grid and each axis's attention weights."""
        b, h, w, d = x.shape
        # along the width: each of the B·H rows is a sequence of W positions
        rows = x.reshape(b * h, w, d)
        attended, row_weights = self.rows(rows, rows, rows)
        x = (rows + attended).view(b, h, w, d)
        # along the height: each of the B·W columns is a sequence of H positions
        columns = x.permute(0, 2, 1, 3).reshape(b * w, h, d)
        attended, column_weights = self.columns(columns, columns, columns)
        x = (columns + attended).view(b, w, h, d).permute(0, 2, 1, 3)
        return {"output": x, "row_weights": row_weights, "column_weights": column_weights}
