"""Linear Regression: the least-squares fit of a linear model, solved in closed form.

Paper: Nouvelles méthodes pour la détermination des orbites des comètes (Legendre, 1805)
- https://archive.org/details/nouvellesmthode00legegoog

Ordinary least squares picks the coefficients $\\beta = (b, w)$ minimizing
$\\lVert y - X_1 \\beta \\rVert^2$, with $X_1 = [\\mathbf{1}, X]$; with a ridge penalty
$\\alpha \\lVert w \\rVert^2$ (Hoerl & Kennard, 1970; $\\alpha = 0$ is plain OLS) the normal equations are
$$(X_1^\\top X_1 + \\alpha I_0)\\,\\beta = X_1^\\top y,$$
with $I_0$ the identity whose intercept entry is zero. They are solved as the least-squares
problem on the augmented system $[X_1; \\sqrt{\\alpha} I_0]$, $[y; 0]$ by a QR factorization (no
normal equations, so no squared condition number), as scikit-learn's `LinearRegression` solves
OLS with `scipy.linalg.lstsq`. It needs $N + D \\ge D + 1$ rows of full column rank.

Shapes: `x: [N, D]`, `y: [N]` -> `weight: [D]`, `bias: []`, `predictions: [N]`, `r2: []`
(coefficient of determination).
"""

from __future__ import annotations

import torch
from torch import nn


class LinearRegression(nn.Module):
    """Closed-form (ridge-)least-squares fit of y on x."""

    def __init__(self, alpha: float = 0.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], y: [N] -> weight [D], bias [], predictions [N], r2 []."""
        design = torch.cat([torch.ones_like(x[:, :1]), x], dim=1)
        # (X₁ᵀX₁ + α I₀) β = X₁ᵀ y, written as least squares on [X₁; √α I₀] and [y; 0]
        penalty = self.alpha**0.5 * torch.eye(design.shape[1], dtype=x.dtype, device=x.device)[1:]
        a = torch.cat([design, penalty])
        b = torch.cat([y, y.new_zeros(penalty.shape[0])])
        # least squares by QR: R β = Qᵀ b
        q, r = torch.linalg.qr(a)
        beta = torch.linalg.solve_triangular(r, (q.T @ b).unsqueeze(1), upper=True)[:, 0]
        predictions = design @ beta
        # R² = 1 − SS_res / SS_tot
        r2 = 1 - (y - predictions).square().sum() / (y - y.mean()).square().sum()
        return {"weight": beta[1:], "bias": beta[0], "predictions": predictions, "r2": r2}
