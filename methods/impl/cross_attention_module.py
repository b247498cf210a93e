"""Cross-Attention Module, CrossViT's fusion of a CLS token with the other branch's patches.

Paper: CrossViT: Cross-Attention Multi-Scale Vision Transformer for Image
Classification - https://arxiv.org/abs/2103.14899

CrossViT runs a large-patch and a small-patch branch. To fuse them, the CLS
token of one branch is projected to the other's width, x'_cls = f(x^l_cls), and
used as the only query over [x'_cls ‖ x^s_patch]:
q = x'_cls W_q, k = [x'_cls ‖ x^s_patch] W_k, v = [… ] W_v,
A = softmax(q kᵀ / √(C/h)), CA = A v (h heads),
y_cls = x'_cls + W_o CA, then projected back, z_cls = g(y_cls), and placed
before the branch's own patch tokens. Cost is linear in the token count since
only one query is used. The paper's widths are 192/384 (CrossViT-9); the module
below follows the official implementation's `CrossAttention` (IBM/CrossViT).

Shapes: `forward(large: [B, 1 + N_l, D_l], small: [B, 1 + N_s, D_s]) -> {"output": [B, 1 + N_l, D_l], "weights": [B, h, 1, 1 + N_s]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class CrossAttentionModule(nn.Module):
    """Fuses the large branch's CLS token with the small branch's patch tokens."""

    def __init__(self, large_dim: int = 32, small_dim: int = 16, num_heads: int = 2) -> None:
        super().__init__()
        if small_dim % num_heads:
            raise ValueError("num_heads must divide small_dim")
        self.num_heads = num_heads
        self.f = nn.Linear(large_dim, small_dim)  # f(·): large width -> small width
        self.w_q = nn.Linear(small_dim, small_dim)
        self.w_k = nn.Linear(small_dim, small_dim)
        self.w_v = nn.Linear(small_dim, small_dim)
        self.w_o = nn.Linear(small_dim, small_dim)
        self.g = nn.Linear(small_dim, large_dim)  # g(·): back to the large width

    def forward(self, large: torch.Tensor, small: torch.Tensor) -> dict[str, torch.Tensor]:
        """large: [B, 1 + N_l, D_l], small: [B, 1 + N_s, D_s]; token 0 of each is its CLS."""
        b, h = large.shape[0], self.num_heads
        cls = self.f(large[:, :1])  # x'_cls: [B, 1, D_s]
        tokens = torch.cat([cls, small[:, 1:]], dim=1)  # [x'_cls ‖ x^s_patch]: [B, 1 + N_s, D_s]

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, t.shape[1], h, -1).transpose(1, 2)  # [B, h, n, D_s/h]

        q, k, v = heads(self.w_q(cls)), heads(self.w_k(tokens)), heads(self.w_v(tokens))
        # A = softmax(q kᵀ / √(C/h))
        weights = (q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5).softmax(dim=-1)
        attended = (weights @ v).transpose(1, 2).reshape(b, 1, -1)  # CA: [B, 1, D_s]
        # y_cls = x'_cls + W_o·CA ; z_cls = g(y_cls), then the branch's own patches
        z_cls = self.g(cls + self.w_o(attended))
        return {"output": torch.cat([z_cls, large[:, 1:]], dim=1), "weights": weights}
