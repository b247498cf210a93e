"""SwiGLU, the Swish-gated linear unit used as a Transformer feed-forward layer.

Paper: GLU Variants Improve Transformer - https://arxiv.org/abs/2002.05202

A GLU variant whose gate is Swish_1 (SiLU) instead of the sigmoid:
SwiGLU(x, W, V) = Swish_1(xW) ⊗ xV, and the feed-forward layer
FFN_SwiGLU(x) = (Swish_1(xW) ⊗ xV) W_2, all without biases. The paper keeps the
parameter count of a d_ff-wide ReLU layer by using a hidden width of ⅔·d_ff;
LLaMA and PaLM use it as their MLP. See also GLU and Position-Wise Feed-Forward Layer.

Shapes: `forward(x: [B, T, d_model]) -> [B, T, d_model]`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class SwiGLUFeedForward(nn.Module):
    """FFN_SwiGLU(x) = (Swish_1(xW) ⊗ xV) W_2."""

    def __init__(self, d_model: int = 32, d_hidden: int = 64, bias: bool = False) -> None:
        super().__init__()
        self.w = nn.Linear(d_model, d_hidden, bias=bias)  # W, the gate's projection
        self.v = nn.Linear(d_model, d_hidden, bias=bias)  # V, the value's projection
        self.w2 = nn.Linear(d_hidden, d_model, bias=bias)  # W_2, back to d_model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, T, d_model] -> [B, T, d_model]."""
        # (Swish_1(xW) ⊗ xV) W_2
        return self.w2(F.silu(self.w(x)) * self.v(x))
