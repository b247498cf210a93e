"""Activation functions that PyTorch implements, adapted to the registry.

Reference: PyTorch non-linear activations - https://docs.pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity

Every activation is elementwise (`input: [*] -> [*]`) except Softmax and
Gumbel-Softmax (normalised along `dim`) and GLU (halves `dim`). Where the
registry's hyperparameters carry the library's argument names, the class is
re-exported as is; the builders below map the rest.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn import CELU, ELU, GELU, GLU, Hardtanh, PReLU, RReLU, Softmax, Softplus

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GLU",
    "GumbelSoftmax",
    "Hardtanh",
    "PReLU",
    "RReLU",
    "Softmax",
    "Softplus",
    "hard_sigmoid",
    "hard_swish",
    "leaky_relu",
    "mish",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "softsign",
    "tanh",
]


def relu() -> nn.ReLU:
    """Rectified Linear Unit, max(0, x) (Nair & Hinton 2010)."""
    return nn.ReLU()


def relu6() -> nn.ReLU6:
    """min(max(0, x), 6): a ReLU capped at 6, robust in low precision (Krizhevsky 2010, MobileNet)."""
    return nn.ReLU6()


def softsign() -> nn.Softsign:
    """x / (1 + |x|): a tanh-like squashing with polynomial tails."""
    return nn.Softsign()


def hard_sigmoid() -> nn.Hardsigmoid:
    """ReLU6(x + 3) / 6: a piecewise-linear sigmoid (MobileNetV3's form)."""
    return nn.Hardsigmoid()


def sigmoid() -> nn.Sigmoid:
    """Logistic sigmoid, 1 / (1 + exp(-x))."""
    return nn.Sigmoid()


def tanh() -> nn.Tanh:
    """Hyperbolic tangent, (e^x - e^-x) / (e^x + e^-x)."""
    return nn.Tanh()


def leaky_relu(negative_slope: float) -> nn.LeakyReLU:
    """max(0, x) + a·min(0, x) with a fixed slope a (Maas et al. 2013)."""
    return nn.LeakyReLU(negative_slope=negative_slope)


def selu() -> nn.SELU:
    """λ·ELU_α(x) with the self-normalising constants λ ≈ 1.0507, α ≈ 1.6733 (Klambauer et al. 2017)."""
    return nn.SELU()


def mish() -> nn.Mish:
    """x·tanh(softplus(x)) (Misra 2019)."""
    return nn.Mish()


def hard_swish() -> nn.Hardswish:
    """x·ReLU6(x + 3) / 6, a piecewise-linear Swish (Howard et al. 2019, MobileNetV3)."""
    return nn.Hardswish()


class GumbelSoftmax(nn.Module):
    """A differentiable sample from a categorical distribution (Jang et al. 2017).

    Adapts `torch.nn.functional.gumbel_softmax`: y = softmax((log π + g) / τ)
    with g ~ Gumbel(0, 1); `hard` returns one-hot samples with the soft
    sample's gradient (straight-through).
    """

    def __init__(self, tau: float, hard: bool, dim: int) -> None:
        super().__init__()
        self.tau, self.hard, self.dim = tau, hard, dim

    def forward(self, logits: torch.Tensor) -> torch.Tensor:
        """logits: [*, K] unnormalised log-probabilities log π -> samples [*, K] on the simplex."""
        return F.gumbel_softmax(logits, tau=self.tau, hard=self.hard, dim=self.dim)
