"""Logistic Regression: a linear model of class probabilities, fitted by maximum likelihood.

Paper: The Regression Analysis of Binary Sequences (Cox, 1958)
- https://doi.org/10.1111/j.2517-6161.1958.tb00292.x

For $C$ classes (multinomial logistic regression; $C = 2$ is the binary model) the class
probabilities are $p(y = c \\mid x) = \\text{softmax}(W x + b)_c$ and the model is fitted by
minimizing the mean negative log-likelihood plus an optional L2 penalty,
$$L(W, b) = -\\frac{1}{N}\\sum_i \\log p(y_i \\mid x_i) + \\frac{\\lambda}{2}\\lVert W \\rVert_F^2,$$
whose gradient is $\\nabla_W L = \\frac{1}{N}(P - Y)^\\top X + \\lambda W$. The module holds $W, b$ as
parameters (the demo shows the forward pass and the loss a trainer would minimize).

Shapes: `x: [N, D]`, `labels: [N]` in [0, C) -> `probabilities: [N, C]`, `loss: []`.
"""

from __future__ import annotations

import torch
from torch import nn


class LogisticRegression(nn.Module):
    """Class probabilities softmax(Wx + b) and the penalized negative log-likelihood."""

    def __init__(self, in_features: int = 8, num_classes: int = 3, l2: float = 0.0):
        super().__init__()
        self.linear = nn.Linear(in_features, num_classes)
        self.l2 = l2

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], labels: [N] -> probabilities [N, C], loss []."""
        logits = self.linear(x)
        # −(1/N) Σ log p(y_i | x_i) + λ/2 ‖W‖²
        loss = nn.functional.cross_entropy(logits, labels) + self.l2 / 2 * self.linear.weight.square().sum()
        return {"probabilities": logits.softmax(dim=-1), "loss": loss}
