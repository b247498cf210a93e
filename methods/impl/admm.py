"""ADMM: the Alternating Direction Method of Multipliers, solving the lasso.

Paper: Distributed Optimization and Statistical Learning via the Alternating Direction Method of
Multipliers (Boyd, Parikh, Chu, Peleato & Eckstein, 2011) - https://doi.org/10.1561/2200000016

ADMM solves $\\min_{x, z} f(x) + g(z)$ subject to $x - z = 0$ by alternating minimizations of the
augmented Lagrangian. For the lasso, $f(x) = \\frac12 \\lVert A x - b \\rVert^2$ and $g(z) = \\lambda \\lVert z \\rVert_1$,
and the scaled-form iterations of the paper's Section 6.4 are
$$x^{k+1} = (A^\\top A + \\rho I)^{-1}(A^\\top b + \\rho(z^k - u^k)),$$
$$z^{k+1} = S_{\\lambda/\\rho}(x^{k+1} + u^k), \\qquad u^{k+1} = u^k + x^{k+1} - z^{k+1},$$
with the soft threshold $S_\\kappa(a) = \\text{sign}(a)\\max(|a| - \\kappa, 0)$. The matrix
$A^\\top A + \\rho I$ is factored once (Cholesky) and reused, as in the paper's MATLAB `lasso.m`.

Shapes: `a: [M, N]`, `b: [M]` -> `solution: [N]` ($z$, exactly sparse), `objective: [iterations]`
($\\frac12\\lVert A z - b\\rVert^2 + \\lambda \\lVert z \\rVert_1$ after each iteration), `primal_residual: [iterations]`
($\\lVert x - z \\rVert$).
"""

from __future__ import annotations

import torch
from torch import nn


def soft_threshold(a: torch.Tensor, kappa: float) -> torch.Tensor:
    """S_κ(a) = sign(a) max(|a| − κ, 0)."""
    return torch.sign(a) * (a.abs() - kappa).clamp(min=0)


class LassoADMM(nn.Module):
    """Runs `iterations` ADMM steps on ½‖Ax − b‖² + λ‖x‖₁."""

    def __init__(self, lam: float = 0.1, rho: float = 1.0, iterations: int = 50):
        super().__init__()
        self.lam, self.rho, self.iterations = lam, rho, iterations

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> dict[str, torch.Tensor]:
        """a: [M, N], b: [M] -> solution [N], objective [iterations], primal_residual [iterations]."""
        n = a.shape[1]
        chol = torch.linalg.cholesky(a.T @ a + self.rho * torch.eye(n, dtype=a.dtype, device=a.device))
        atb = a.T @ b
        z, u = a.new_zeros(n), a.new_zeros(n)
        objective, residual = [], []
        for _ in range(self.iterations):
            # x = (AᵀA + ρI)⁻¹(Aᵀb + ρ(z − u))
            x = torch.cholesky_solve((atb + self.rho * (z - u)).unsqueeze(1), chol)[:, 0]
            # z = S_{λ/ρ}(x + u),  u = u + x − z
            z = soft_threshold(x + u, self.lam / self.rho)
            u = u + x - z
            objective.append(0.5 * (a @ z - b).square().sum() + self.lam * z.abs().sum())
            residual.append((x - z).norm())
        return {"solution": z, "objective": torch.stack(objective), "primal_residual": torch.stack(residual)}
