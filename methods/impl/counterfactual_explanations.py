"""Counterfactuals: the closest input for which the model would have given a chosen output.

Paper: Counterfactual Explanations without Opening the Black Box: Automated Decisions and the GDPR
(Wachter, Mittelstadt & Russell, 2017) - https://arxiv.org/abs/1711.00399

A counterfactual $x'$ for the instance $x$ and the desired output $y'$ solves
$$\\arg\\min_{x'} \\max_\\lambda\\ \\lambda (f_w(x') - y')^2 + d(x, x'),
\\qquad d(x, x') = \\sum_k \\frac{|x_k - x'_k|}{\\text{MAD}_k},$$
the L1 distance scaled by each feature's median absolute deviation (sparse changes), with
$\\lambda$ raised until $f_w(x')$ is close enough to $y'$ (Eq. 3, 4). This runs `steps` (sub)gradient
steps on $x'$ for each $\\lambda$ of a doubling schedule and keeps the last iterate. The model is a small
MLP built with the explainer, its output a probability.

Shapes: `x: [D]`, `data: [N, D]` (for the MADs) -> `counterfactual: [D]`, `prediction: []`
($f(x')$), `distance: []` ($d(x, x')$), `original_prediction: []`.
"""

from __future__ import annotations

import torch
from torch import nn


class CounterfactualExplanation(nn.Module):
    """Minimizes λ (f(x') − y')² + d(x, x') over x' with a doubling λ."""

    def __init__(
        self,
        num_features: int = 6,
        hidden: int = 16,
        target: float = 0.9,
        steps: int = 10,
        lr: float = 0.05,
        rounds: int = 4,
        lam: float = 10.0,
    ):
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(num_features, hidden), nn.Tanh(), nn.Linear(hidden, 1), nn.Sigmoid()
        )
        self.target, self.steps, self.lr, self.rounds, self.lam = target, steps, lr, rounds, lam

    def forward(self, x: torch.Tensor, data: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [D], data: [N, D] -> counterfactual [D], prediction [], distance [], original_prediction []."""
        mad = (data - data.median(dim=0).values).abs().median(dim=0).values.clamp(min=1e-3)
        candidate, lam = x.detach().clone(), self.lam
        with torch.enable_grad():
            for _ in range(self.rounds):
                for _ in range(self.steps):
                    candidate.requires_grad_(True)
                    # λ (f(x') − y')² + Σ_k |x_k − x'_k| / MAD_k
                    distance = ((candidate - x.detach()).abs() / mad).sum()
                    loss = lam * (self.model(candidate).squeeze() - self.target) ** 2 + distance
                    (grad,) = torch.autograd.grad(loss, candidate)
                    candidate = (candidate - self.lr * grad).detach()
                lam *= 2
        counterfactual = candidate
        return {
            "counterfactual": counterfactual,
            "prediction": self.model(counterfactual).squeeze(-1),
            "distance": ((counterfactual - x) / mad).abs().sum(),
            "original_prediction": self.model(x).squeeze(-1),
        }
