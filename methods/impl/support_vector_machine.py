"""SVM: a linear Support Vector Machine trained by Pegasos, stochastic subgradient descent on the hinge loss.

Paper: Support-Vector Networks (Cortes & Vapnik, 1995) - https://doi.org/10.1007/BF00994018

The soft-margin linear SVM minimizes the regularized hinge loss
$$F(w, b) = \\frac{\\lambda}{2} \\lVert w \\rVert^2 + \\frac{1}{N} \\sum_i \\max(0, 1 - y_i (w^\\top x_i + b)),$$
with labels $y_i \\in \\{-1, +1\\}$. Training follows Pegasos (Shalev-Shwartz et al., 2007,
https://doi.org/10.1145/1273496.1273598) on full batches: at step $t$ the step size is
$\\eta_t = 1 / (\\lambda t)$ and the subgradient is $\\lambda w - \\frac{1}{N} \\sum_{i \\in \\mathcal{M}} y_i x_i$ over the
margin violators $\\mathcal{M} = \\{i : y_i (w^\\top x_i + b) < 1\\}$ (the bias takes the same step
without regularization). The demo returns the averaged iterate, which converges at rate
$O(\\log T / T)$. The example labels come as 0/1 and are mapped to $y = 2l - 1$.

Shapes: `x: [N, D]`, `labels: [N]` in {0, 1} -> `weight: [D]`, `bias: []`, `margins: [N]`
($y_i(w^\\top x_i + b)$), `objective: [steps]` ($F$ of the iterate at each step).
"""

from __future__ import annotations

import torch
from torch import nn


def hinge_objective(
    w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lam: float
) -> torch.Tensor:
    """F(w, b) = λ/2 ‖w‖² + mean_i max(0, 1 − y_i (wᵀx_i + b))."""
    return lam / 2 * w.square().sum() + (1 - y * (x @ w + b)).clamp(min=0).mean()


class LinearSVM(nn.Module):
    """Fits a linear soft-margin SVM to (x, labels) in `steps` Pegasos steps."""

    def __init__(self, lam: float = 0.01, steps: int = 100):
        super().__init__()
        self.lam, self.steps = lam, steps

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], labels: [N] in {0, 1} -> weight, bias, margins, objective."""
        y = 2.0 * labels.to(x.dtype) - 1.0
        w, b = x.new_zeros(x.shape[1]), x.new_zeros(())
        w_avg, b_avg = torch.zeros_like(w), torch.zeros_like(b)
        objective = []
        for t in range(1, self.steps + 1):
            eta = 1.0 / (self.lam * t)
            violators = (y * (x @ w + b) < 1).to(x.dtype)
            # ∇ = λw − (1/N) Σ_{i∈M} y_i x_i
            grad_w = self.lam * w - (violators * y) @ x / x.shape[0]
            grad_b = -(violators * y).mean()
            w, b = w - eta * grad_w, b - eta * grad_b
            # averaged iterate: w̄_t = ((t − 1) w̄_{t−1} + w_t) / t
            w_avg, b_avg = w_avg + (w - w_avg) / t, b_avg + (b - b_avg) / t
            objective.append(hinge_objective(w_avg, b_avg, x, y, self.lam))
        return {
            "weight": w_avg,
            "bias": b_avg,
            "margins": y * (x @ w_avg + b_avg),
            "objective": torch.stack(objective),
        }
