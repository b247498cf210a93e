"""Pruning through `torch.nn.utils.prune`: filter pruning by L1 norm, or unstructured magnitude pruning.

Li et al. (Pruning Filters for Efficient ConvNets, https://arxiv.org/abs/1608.08710) remove the
convolution filters whose kernel weights have the smallest sum of absolute values; that is
`prune.ln_structured(module, "weight", amount, n=1, dim=0)`. Han et al. (2015) remove single
weights of smallest magnitude, `prune.l1_unstructured`. Both keep the dense weight as
`weight_orig` and multiply it by a binary `weight_mask` in a forward pre-hook.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn
from torch.nn.utils import prune


class PrunedConv(nn.Module):
    """A 3x3 convolution pruned at construction; returns its output, the mask and the sparsity."""

    def __init__(self, in_channels: int, out_channels: int, amount: float, structured: bool):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        if structured:
            prune.ln_structured(self.conv, "weight", amount=amount, n=1, dim=0)
        else:
            prune.l1_unstructured(self.conv, "weight", amount=amount)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C_in, H, W] -> output [B, C_out, H, W], mask [C_out, C_in, 3, 3], sparsity []."""
        mask = self.conv.weight_mask
        return {"output": self.conv(x), "mask": mask, "sparsity": 1 - mask.mean()}


def pruned_conv(
    in_channels: int = 8,
    out_channels: int = 16,
    amount: float = 0.5,
    criterion: Literal["filter_l1", "weight_magnitude"] = "filter_l1",
) -> PrunedConv:
    """The convolution with `amount` of its filters (or weights) pruned by `criterion`."""
    return PrunedConv(in_channels, out_channels, amount, structured=criterion == "filter_l1")
