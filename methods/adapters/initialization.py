"""Weight initializations that PyTorch implements, adapted to the registry.

Reference: torch.nn.init - https://docs.pytorch.org/docs/stable/nn.init.html

An initialization's demo fills a copy of the given weight and reports its
empirical mean and standard deviation next to the target the paper derives:
Kaiming (He et al. 2015) std = gain / √fan for gain √(2/(1 + a²)) with ReLU-family
layers; Xavier (Glorot & Bengio 2010) std = gain · √(2/(fan_in + fan_out)).
Shapes: `forward(weight: [fan_out, fan_in, *kernel]) -> {"weight": same, "mean": [], "std": [], "target_std": []}`.
"""

from __future__ import annotations

import math
from typing import Literal

import torch
from torch import nn


class Initialization(nn.Module):
    """Applies one `torch.nn.init` function to a copy of `weight` and measures it."""

    def __init__(self, kind: str, **arguments: object) -> None:
        super().__init__()
        self.kind, self.arguments = kind, arguments

    def target_std(self, weight: torch.Tensor) -> float:
        # fan_in = in · kernel area, fan_out = out · kernel area (the He and Glorot papers' n_l)
        receptive = weight[0][0].numel() if weight.dim() > 2 else 1
        fan_in, fan_out = weight.shape[1] * receptive, weight.shape[0] * receptive
        args = self.arguments
        if self.kind.startswith("kaiming"):
            gain = nn.init.calculate_gain(args["nonlinearity"], args["a"])
            return gain / math.sqrt(fan_in if args["mode"] == "fan_in" else fan_out)
        return float(args["gain"]) * math.sqrt(2.0 / (fan_in + fan_out))

    def forward(self, weight: torch.Tensor) -> dict[str, torch.Tensor]:
        """weight: [fan_out, fan_in, *kernel], its values ignored -> the initialized copy and its moments."""
        filled = weight.detach().clone()
        getattr(nn.init, f"{self.kind}_")(filled, **self.arguments)
        return {
            "weight": filled,
            "mean": filled.mean(),
            "std": filled.std(),
            "target_std": torch.tensor(self.target_std(filled)),
        }


def kaiming(
    distribution: Literal["normal", "uniform"],
    a: float,
    mode: Literal["fan_in", "fan_out"],
    nonlinearity: Literal["relu", "leaky_relu"],
) -> Initialization:
    """He initialization: variance 2/((1 + a²)·fan) keeps activations' variance through ReLU layers."""
    return Initialization(f"kaiming_{distribution}", a=a, mode=mode, nonlinearity=nonlinearity)


def xavier(distribution: Literal["normal", "uniform"], gain: float) -> Initialization:
    """Glorot initialization: variance 2/(fan_in + fan_out) balances forward and backward signals."""
    return Initialization(f"xavier_{distribution}", gain=gain)
