"""Focus: adaptive second-order IIR filters, set from the previous chunk, focusing a chunked attention.

Paper: Focus Your Attention (with Adaptive IIR Filters) (Lutati, Zimerman & Wolf, 2023)
- https://arxiv.org/abs/2305.14952

The layer filters the input sequence with dynamic (input-dependent) infinite impulse response
filters of order two before a conventional attention. The sequence is split into chunks of
`chunk` steps; the coefficients used on chunk $k$ are produced by a small hypernetwork from the
mean of chunk $k - 1$ (a learned default for the first), so the layer stays causal. Per channel,
$$y_t = b_0 x_t + a_1 y_{t-1} + a_2 y_{t-2}, \\qquad a_1 = 2 r \\cos\\theta, \\quad a_2 = -r^2,$$
a resonator whose complex-conjugate poles $r e^{\\pm i\\theta}$ are kept inside the unit circle by
$r = 0.99\\,\\sigma(\\cdot)$, so every filter is stable; the filter state carries across chunks.
Causal multi-head attention then runs within each chunk on the filtered sequence (keys and
queries from $y$, values from $x$), which makes the cost linear in the length for a fixed chunk
size, and a residual connection adds the input back.

Shapes: `x: [B, T, d]` -> `output: [B, T, d]`, `filtered: [B, T, d]` ($y$),
`poles: [B, T / chunk, d]` (the radius $r$ used on each chunk).
"""

from __future__ import annotations

import torch
from torch import nn


class Focus(nn.Module):
    """Chunk-wise adaptive IIR filtering followed by causal attention within chunks."""

    def __init__(self, dim: int = 32, heads: int = 4, chunk: int = 8):
        super().__init__()
        self.chunk = chunk
        # hypernetwork: chunk summary -> (radius logit, angle, gain) per channel
        self.hyper = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.Linear(dim, 3 * dim))
        self.first = nn.Parameter(torch.zeros(3 * dim))
        self.attention = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d] with T a multiple of `chunk` -> output, filtered, poles."""
        b, t, d = x.shape
        if t % self.chunk:
            raise ValueError(f"sequence length {t} is not a multiple of chunk {self.chunk}")
        chunks = x.reshape(b, t // self.chunk, self.chunk, d)
        # coefficients of chunk k from chunk k − 1 (causal); the first chunk uses learned defaults
        summaries = self.hyper(chunks[:, :-1].mean(dim=2))
        coefficients = torch.cat([self.first.expand(b, 1, -1), summaries], dim=1)
        radius_logit, angle, gain = coefficients.chunk(3, dim=-1)
        r = 0.99 * torch.sigmoid(radius_logit)
        a1, a2, b0 = 2 * r * torch.cos(angle), -r.square(), 1 + gain
        y1 = y2 = x.new_zeros(b, d)
        filtered = []
        for k in range(t // self.chunk):
            for i in range(self.chunk):
                # y_t = b0 x_t + a1 y_{t−1} + a2 y_{t−2}
                y = b0[:, k] * chunks[:, k, i] + a1[:, k] * y1 + a2[:, k] * y2
                filtered.append(y)
                y1, y2 = y, y1
        y = torch.stack(filtered, dim=1)
        causal = nn.Transformer.generate_square_subsequent_mask(self.chunk, device=x.device)
        q = self.norm(y).reshape(b * t // self.chunk, self.chunk, d)
        v = x.reshape(b * t // self.chunk, self.chunk, d)
        attended = self.attention(q, q, v, attn_mask=causal, need_weights=False)[0].reshape(b, t, d)
        return {"output": x + attended, "filtered": y, "poles": r}
