"""Absolute position encodings, the Transformer's fixed sinusoids added to token embeddings.

Paper: Attention Is All You Need - https://arxiv.org/abs/1706.03762

Attention is permutation invariant, so the order of tokens is injected by
adding a d_model-dimensional code for each position:
PE(pos, 2i) = sin(pos / 10000^{2i/d_model}), PE(pos, 2i + 1) = cos(pos / 10000^{2i/d_model}).
The wavelengths form a geometric progression from 2π to 10000·2π, so PE(pos + k)
is a linear function of PE(pos). The paper uses d_model = 512 and dropout 0.1
on the sum. See also Rotary Embeddings and ALiBi (relative alternatives).

Shapes: `forward(x: [B, T, d_model]) -> {"output": [B, T, d_model], "encoding": [T, d_model]}`.
"""

from __future__ import annotations

import torch
from torch import nn


def sinusoidal_encoding(length: int, d_model: int, base: float = 10_000.0) -> torch.Tensor:
    """[T, d_model]: sines in even features, cosines in odd ones."""
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    # 1 / 10000^(2i/d_model)
    frequency = base ** (-torch.arange(0, d_model, 2, dtype=torch.float32) / d_model)
    encoding = torch.zeros(length, d_model)
    encoding[:, 0::2] = torch.sin(position * frequency)
    encoding[:, 1::2] = torch.cos(position * frequency[: d_model // 2])
    return encoding


class AbsolutePositionEncoding(nn.Module):
    """x + PE, followed by dropout as in the paper."""

    def __init__(self, d_model: int = 32, dropout: float = 0.0, base: float = 10_000.0) -> None:
        super().__init__()
        self.d_model, self.base = d_model, base
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, d_model] token embeddings -> the position-coded embeddings and PE itself."""
        encoding = sinusoidal_encoding(x.shape[1], self.d_model, self.base).to(x)
        return {"output": self.dropout(x + encoding), "encoding": encoding}
