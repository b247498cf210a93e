"""LDA: Linear Discriminant Analysis, Fisher's directions that best separate labelled classes.

Paper: The Use of Multiple Measurements in Taxonomic Problems (Fisher, 1936)
- https://doi.org/10.1111/j.1469-1809.1936.tb02137.x

With class means $\\mu_c$, overall mean $\\mu$, the within-class scatter
$S_W = \\sum_c \\sum_{i \\in c} (x_i - \\mu_c)(x_i - \\mu_c)^\\top$ and the between-class scatter
$S_B = \\sum_c N_c (\\mu_c - \\mu)(\\mu_c - \\mu)^\\top$, the discriminant directions maximize the
Rayleigh quotient $J(w) = \\frac{w^\\top S_B w}{w^\\top S_W w}$: they solve the generalized eigenproblem
$S_B w = \\lambda S_W w$, at most $C - 1$ of them with non-zero $\\lambda$. It is solved by whitening
with the Cholesky factor of $S_W + \\epsilon I$ (shrinkage $\\epsilon$ keeps it invertible) and a
symmetric eigendecomposition, the "eigen" solver of scikit-learn's `LinearDiscriminantAnalysis`;
directions are scaled so $w^\\top S_W w = 1$ and signed so their largest coordinate is positive.

Shapes: `x: [N, D]`, `labels: [N]` in [0, C) -> `projected: [N, k]`, `directions: [D, k]`,
`eigenvalues: [k]` (the ratios $J$), with $k$ = `n_components` $\\le C - 1$.
"""

from __future__ import annotations

import torch
from torch import nn


class LinearDiscriminantAnalysis(nn.Module):
    """Fisher's discriminant directions of (x, labels) and the projected data."""

    def __init__(self, num_classes: int = 3, n_components: int = 2, shrinkage: float = 1e-4):
        super().__init__()
        if n_components > num_classes - 1:
            raise ValueError(f"n_components {n_components} exceeds num_classes - 1 = {num_classes - 1}")
        self.num_classes, self.n_components, self.shrinkage = num_classes, n_components, shrinkage

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], labels: [N] -> projected [N, k], directions [D, k], eigenvalues [k]."""
        one_hot = nn.functional.one_hot(labels, self.num_classes).to(x.dtype)
        sizes = one_hot.sum(dim=0)
        means = one_hot.T @ x / sizes.clamp(min=1)[:, None]
        mu = x.mean(dim=0)
        # S_W = Σ_c Σ_{i∈c} (x_i − μ_c)(x_i − μ_c)ᵀ,  S_B = Σ_c N_c (μ_c − μ)(μ_c − μ)ᵀ
        within = x - means[labels]
        s_w = within.T @ within + self.shrinkage * torch.eye(x.shape[1], dtype=x.dtype, device=x.device)
        between = (means - mu) * sizes.sqrt()[:, None]
        s_b = between.T @ between
        # S_B w = λ S_W w  ⇔  (L⁻¹ S_B L⁻ᵀ) u = λ u,  w = L⁻ᵀ u,  S_W = L Lᵀ
        chol = torch.linalg.cholesky(s_w)
        inv = torch.linalg.solve_triangular(
            chol, torch.eye(x.shape[1], dtype=x.dtype, device=x.device), upper=False
        )
        eigenvalues, u = torch.linalg.eigh(inv @ s_b @ inv.T)
        order = eigenvalues.argsort(descending=True)[: self.n_components]
        directions = inv.T @ u[:, order]
        pivot = directions.abs().argmax(dim=0, keepdim=True)
        directions = directions * torch.sign(directions.gather(0, pivot))
        return {"projected": x @ directions, "directions": directions, "eigenvalues": eigenvalues[order]}
