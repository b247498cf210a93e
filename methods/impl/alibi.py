"""ALiBi, attention with linear biases in place of position embeddings.

Paper: Train Short, Test Long: Attention with Linear Biases Enables Input Length
Extrapolation - https://arxiv.org/abs/2108.12409

No position embedding is added to the tokens. Instead each head h adds a
static, non-learned penalty proportional to the query-key distance to its
causal attention scores: softmax(q_i K^ᵀ + m_h · [−(i − 1), …, −1, 0]). The
slopes form a geometric sequence: for H heads, m_h = 2^{−8h/H}, h = 1 … H
(1/2, 1/4, …, 1/256 for 8 heads). The paper's formula for a head count that is
not a power of two (interleaving the next power's slopes) is followed here as in
the authors' reference code (ofirpress/attention_with_linear_biases).

Shapes: `forward(query, key, value: [B, H, T, d]) -> {"output": [B, H, T, d], "bias": [H, T, T]}`.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def alibi_slopes(num_heads: int) -> torch.Tensor:
    """m_h = 2^(−8h/H) for a power-of-two H; otherwise the closest power's slopes plus every other of the next."""

    def power_of_two(n: int) -> list[float]:
        start = 2 ** (-8 / n)
        return [start ** (h + 1) for h in range(n)]

    if math.log2(num_heads).is_integer():
        return torch.tensor(power_of_two(num_heads))
    closest = 2 ** math.floor(math.log2(num_heads))
    extra = power_of_two(2 * closest)[0::2][: num_heads - closest]
    return torch.tensor(power_of_two(closest) + extra)


class ALiBiAttention(nn.Module):
    """Causal attention with the bias m_h · (j − i) added to each head's scores."""

    def __init__(self, num_heads: int = 4) -> None:
        super().__init__()
        self.register_buffer("slopes", alibi_slopes(num_heads), persistent=False)

    def bias(self, length: int) -> torch.Tensor:
        """[H, T, T]: m_h · (j − i) for j ≤ i, −∞ above the diagonal (causal)."""
        i = torch.arange(length, device=self.slopes.device).unsqueeze(1)
        j = torch.arange(length, device=self.slopes.device).unsqueeze(0)
        distance = (j - i).float()  # 0 on the diagonal, −1, −2, … to the left
        bias = self.slopes.view(-1, 1, 1) * distance
        return bias.masked_fill(j > i, float("-inf"))

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> dict[str, torch.Tensor]:
        """query, key, value: [B, H, T, d] with H = num_heads -> the attended values and the bias."""
        bias = self.bias(query.shape[-2]).to(query.dtype)
        # softmax(q Kᵀ/√d + bias) V
        out = F.scaled_dot_product_attention(query, key, value, attn_mask=bias)
        return {"output": out, "bias": bias.clamp_min(torch.finfo(bias.dtype).min)}
