"""Feedforward network (multilayer perceptron), the classic fully connected neural network.

Paper: Learning representations by back-propagating errors (Rumelhart, Hinton &
Williams, 1986) - https://doi.org/10.1038/323533a0

Inputs pass through L layers of units with no cycles: h_ℓ = g(W_ℓ h_{ℓ−1} + b_ℓ),
h_0 = x, and the last layer is linear, y = W_{L+1} h_L + b_{L+1}. With a
non-linear g and enough hidden units it approximates any continuous function.
See also Linear Layer, Dense Connections and Position-Wise Feed-Forward Layer.

Shapes: `forward(x: [B, in_features]) -> [B, out_features]`.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
}


class FeedforwardNetwork(nn.Module):
    """`depth` hidden layers h_ℓ = g(W_ℓ h_{ℓ−1} + b_ℓ), then a linear output layer."""

    def __init__(
        self,
        in_features: int = 16,
        hidden_features: int = 32,
        out_features: int = 4,
        depth: int = 2,
        activation: Literal["relu", "tanh", "sigmoid", "gelu"] = "relu",
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        width = in_features
        for _ in range(depth):
            layers += [nn.Linear(width, hidden_features), ACTIVATIONS[activation]()]
            width = hidden_features
        layers.append(nn.Linear(width, out_features))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, in_features] -> [B, out_features]."""
        return self.layers(x)
