"""Normalization layers and weight reparametrizations that PyTorch implements, adapted to the registry.

Reference: PyTorch normalization layers - https://docs.pytorch.org/docs/stable/nn.html#normalization-layers
and parametrizations - https://docs.pytorch.org/docs/stable/nn.html#module-torch.nn.utils.parametrize

Normalization layers keep the input's shape. Spectral and weight
normalization reparametrize the weight of a linear layer:
`input: [B, in_features] -> [B, out_features]`.
"""

from __future__ import annotations

from torch import nn
from torch.nn import BatchNorm2d, GroupNorm, InstanceNorm2d, LayerNorm, LocalResponseNorm, RMSNorm
from torch.nn.utils import parametrizations

__all__ = [
    "BatchNorm2d",
    "GroupNorm",
    "InstanceNorm2d",
    "LayerNorm",
    "LocalResponseNorm",
    "RMSNorm",
    "spectral_norm",
    "weight_norm",
]


def spectral_norm(in_features: int, out_features: int, n_power_iterations: int) -> nn.Linear:
    """A linear layer whose weight is divided by its largest singular value σ(W), found by power iteration."""
    return parametrizations.spectral_norm(
        nn.Linear(in_features, out_features), n_power_iterations=n_power_iterations
    )


def weight_norm(in_features: int, out_features: int) -> nn.Linear:
    """A linear layer with each output row's weight written w = g · v / ‖v‖ (g and v learned)."""
    return parametrizations.weight_norm(nn.Linear(in_features, out_features), dim=0)
