"""SHAP: Shapley Additive Explanations, each feature's Shapley value for one prediction.

Paper: A Unified Approach to Interpreting Model Predictions (Lundberg & Lee, 2017)
- https://arxiv.org/abs/1705.07874

SHAP explains $f(x)$ by the additive attribution $f(x) = \\phi_0 + \\sum_i \\phi_i$ whose terms are
the Shapley values of the game $v(S) = \\mathbb{E}[f(x_S, X_{\\bar S})]$ (absent features are
replaced by background samples, the interventional expectation):
$$\\phi_i = \\sum_{S \\subseteq F \\setminus \\{i\\}} \\frac{|S|!\\,(M - |S| - 1)!}{M!}\\,[v(S \\cup \\{i\\}) - v(S)].$$
For the demo's $M \\le 12$ features every coalition is enumerated, which is exactly what
Kernel SHAP (the `shap` package's `KernelExplainer`) estimates by weighted regression on
sampled coalitions. The model explained is a small MLP built with the explainer.

Shapes: `x: [M]` the instance, `background: [K, M]` -> `shap_values: [M]` ($\\phi_i$),
`base_value: []` ($\\phi_0 = v(\\emptyset)$), `prediction: []` ($f(x)$).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import torch
from torch import nn


def shapley_values(
    value: Callable[[torch.Tensor], torch.Tensor], num_features: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Exact φ_1..φ_M and φ_0 of the game `value`, called with a [2^M, M] batch of 0/1 coalitions."""
    coalitions = torch.tensor(list(itertools.product([0, 1], repeat=num_features)), dtype=torch.bool)
    values = value(coalitions)
    index = {tuple(c.tolist()): i for i, c in enumerate(coalitions)}
    phi = []
    for i in range(num_features):
        terms = []
        for c, k in index.items():
            if c[i]:
                continue
            with_i = (*c[:i], 1, *c[i + 1 :])
            size = sum(c)
            # |S|! (M − |S| − 1)! / M!
            weight = (
                math.factorial(size) * math.factorial(num_features - size - 1) / math.factorial(num_features)
            )
            terms.append(weight * (values[index[with_i]] - values[k]))
        phi.append(torch.stack(terms).sum())
    return torch.stack(phi), values[0]


class SHAP(nn.Module):
    """Exact interventional Shapley values of a small MLP's output at one instance."""

    def __init__(self, num_features: int = 6, hidden: int = 16):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(num_features, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor, background: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [M], background: [K, M] -> shap_values [M], base_value [], prediction []."""

        def value(coalitions: torch.Tensor) -> torch.Tensor:
            # v(S) = mean_k f(x_S, b_k on the rest)
            mask = coalitions.to(x.device)[:, None, :]
            mixed = torch.where(mask, x, background[None])
            return self.model(mixed).squeeze(-1).mean(dim=1)

        phi, base = shapley_values(value, x.shape[0])
        return {"shap_values": phi, "base_value": base, "prediction": self.model(x).squeeze(-1)}
