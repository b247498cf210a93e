"""Channel Attention Module, CBAM's channel weights from both average- and max-pooled descriptors.

Paper: CBAM: Convolutional Block Attention Module - https://arxiv.org/abs/1807.06521

Where squeeze-and-excitation squeezes each channel by its average alone, CBAM
also uses its maximum, and passes both descriptors through one shared
bottleneck MLP (reduction r = 16) before adding them:
M_c(F) = σ(MLP(AvgPool(F)) + MLP(MaxPool(F))), F' = M_c(F) ⊗ F. In CBAM it is
followed by the Spatial Attention Module; here it stands alone. See also
Channel attention (SENet).

Shapes: `forward(x: [B, C, H, W]) -> {"output": [B, C, H, W], "attention": [B, C]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class ChannelAttentionModule(nn.Module):
    """M_c = σ(MLP(avg) + MLP(max)) with one shared MLP, F' = M_c ⊗ F."""

    def __init__(self, channels: int = 32, reduction: int = 16) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.mlp = nn.Sequential(
            nn.Linear(channels, hidden), nn.ReLU(), nn.Linear(hidden, channels)
        )  # W_1, W_0

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> the reweighted features and the channel map M_c [B, C]."""
        # M_c = σ(MLP(F^c_avg) + MLP(F^c_max))
        attention = torch.sigmoid(self.mlp(x.mean(dim=(2, 3))) + self.mlp(x.amax(dim=(2, 3))))
        return {"output": x * attention[:, :, None, None], "attention": attention}
