"""LLaMA: a pre-norm decoder-only Transformer with RMSNorm, SwiGLU and rotary position embeddings.

Paper: LLaMA: Open and Efficient Foundation Language Models - https://arxiv.org/abs/2302.13971

LLaMA is the GPT decoder with three changes taken from later models (Section 2.2): pre-normalization
with RMSNorm (GPT-3), the SwiGLU feed-forward $W_2(\\mathrm{SiLU}(W_1 x) \\odot W_3 x)$ with
hidden width $\\frac{2}{3} 4d$ (PaLM), and rotary position embeddings (GPTNeo) instead of
absolute ones: query and key vectors are rotated pairwise by angles proportional to their
position, $R_{\\Theta, m} x$ with $\\theta_i = 10000^{-2i/d}$, so $q_m^\\top k_n$ depends on $m - n$
only. No biases anywhere, and the output projection is not tied. Follows Meta's reference
`llama/model.py` (the interleaved-pair rotation written with real arithmetic).

Shapes: `forward(input_ids: [B, L])` -> `logits: [B, L, V]`.

Hyperparameters: `vocab_size` $V$ (32,000; 64 here), `dim` $d$ (4,096 for 7B; 32 here),
`layers` (32; 2), `heads` (32; 4), `ffn_hidden` (11,008 = 2/3 * 4d rounded; 88 here),
`rope_theta` (10,000), `norm_eps` (1e-6).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import RMSNorm, TransformerLayer, causal_mask


class Rotary(nn.Module):
    """Rotary embedding of [B, h, L, d_h] queries or keys: pairs (x_{2i}, x_{2i+1}) rotated by m * theta_i."""

    def __init__(self, head_dim: int, theta: float = 10000.0) -> None:
        super().__init__()
        if head_dim % 2:
            raise ValueError(f"rotary embeddings need an even head width, got {head_dim}")
        # theta_i = theta^{-2i / d}
        self.register_buffer(
            "frequencies",
            theta ** (-torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim),
            persistent=False,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, h, L, d_h] -> the same, position m rotated by angles m * theta_i."""
        angles = torch.arange(x.shape[-2], device=x.device, dtype=torch.float32)[:, None] * self.frequencies
        cos, sin = angles.cos(), angles.sin()
        even, odd = x[..., 0::2], x[..., 1::2]
        # [x'_{2i}, x'_{2i+1}] = [x_{2i} cos - x_{2i+1} sin, x_{2i} sin + x_{2i+1} cos]
        rotated = torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1)
        return rotated.flatten(-2).type_as(x)


class LLaMA(nn.Module):
    """RMSNorm pre-norm decoder with SwiGLU, rotary attention and an untied output layer."""

    def __init__(
        self,
        vocab_size: int = 64,
        dim: int = 32,
        layers: int = 2,
        heads: int = 4,
        ffn_hidden: int = 88,
        rope_theta: float = 10000.0,
    ) -> None:
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.rotary = Rotary(dim // heads, rope_theta)
        self.layers = nn.ModuleList(
            TransformerLayer(
                dim,
                heads,
                ffn_hidden,
                norm_first=True,
                activation="swiglu",
                norm="rms",
                bias=False,
                rotary=self.rotary,
            )
            for _ in range(layers)
        )
        self.norm = RMSNorm(dim)
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids: [B, L] -> logits [B, L, V]."""
        h, mask = self.tokens(input_ids), causal_mask(input_ids.shape[1], input_ids.device)
        for layer in self.layers:
            h = layer(h, mask=mask)
        return self.output(self.norm(h))
