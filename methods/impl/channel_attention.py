"""Channel attention, the squeeze-and-excitation reweighting of feature channels.

Paper: Squeeze-and-Excitation Networks - https://arxiv.org/abs/1709.01507

SENet's block learns which channels matter. Squeeze: global average pooling
gives one statistic per channel, z_c = (1/HW) Σ u_c(i, j). Excitation: a
bottleneck of two fully connected layers with reduction ratio r,
s = σ(W₂ δ(W₁ z)), with δ the ReLU, W₁ ∈ ℝ^{C/r × C}, W₂ ∈ ℝ^{C × C/r}. Scale:
x̃_c = s_c · u_c. The paper uses r = 16; the layout follows torchvision's
`SqueezeExcitation` (1×1 convolutions as the fully connected layers).
See also Spatial Attention Module and CBAM.

Shapes: `forward(x: [B, C, H, W]) -> {"output": [B, C, H, W], "attention": [B, C]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class ChannelAttention(nn.Module):
    """x̃ = σ(W₂ δ(W₁ GAP(x))) ⊙ x."""

    def __init__(self, channels: int = 32, reduction: int = 16) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Conv2d(channels, hidden, 1)  # W₁: C -> C/r
        self.fc2 = nn.Conv2d(hidden, channels, 1)  # W₂: C/r -> C

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> the rescaled features and the channel weights s."""
        # squeeze: z_c = mean over H, W
        z = x.mean(dim=(2, 3), keepdim=True)
        # excitation: s = σ(W₂ δ(W₁ z))
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(z))))
        # scale: x̃_c = s_c · u_c
        return {"output": x * s, "attention": s.flatten(1)}
