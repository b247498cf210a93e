"""Weight standardization, normalising each convolution filter to zero mean and unit variance.

Paper: Micro-Batch Training with Batch-Channel Normalization and Weight
Standardization - https://arxiv.org/abs/1903.10520

Batch normalisation needs large batches. Weight standardization normalises the
weights instead of the activations: each output filter W_i (over its C_in·k·k
values) is reparametrised as Ŵ_i = (W_i − μ_{W_i}) / (σ_{W_i} + ε) before the
convolution, which smooths the loss landscape; paired with Group Normalization
it matches BN at batch size 1 per GPU. BiT and NFNets use it.

Shapes: `forward(x: [B, C_in, H, W]) -> [B, C_out, H, W]`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class WSConv2d(nn.Conv2d):
    """A 'same' convolution with each filter standardised, Ŵ = (W − μ) / (σ + ε)."""

    def __init__(
        self, in_channels: int = 8, out_channels: int = 8, kernel_size: int = 3, eps: float = 1e-5
    ) -> None:
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.eps = eps

    def standardized_weight(self) -> torch.Tensor:
        w = self.weight
        mean = w.mean(dim=(1, 2, 3), keepdim=True)
        std = w.std(dim=(1, 2, 3), keepdim=True, unbiased=False)
        # Ŵ_i = (W_i − μ_i) / (σ_i + ε)
        return (w - mean) / (std + self.eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C_out, H, W]."""
        return F.conv2d(x, self.standardized_weight(), self.bias, padding=self.padding)
