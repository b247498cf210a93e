"""ICA: Independent Component Analysis by FastICA, a fixed-point search for non-Gaussian directions.

Paper: Fast and Robust Fixed-Point Algorithms for Independent Component Analysis (Hyvärinen, 1999)
- https://doi.org/10.1109/72.761722

ICA models observed signals as a linear mixture $x = A s$ of independent sources and recovers
$s = W x$. FastICA centers and whitens the data ($z = E D^{-1/2} E^\\top (x - \\mu)$ from the
covariance's eigendecomposition), then iterates the fixed point
$$w^+ = \\mathbb{E}[z\\, g(w^\\top z)] - \\mathbb{E}[g'(w^\\top z)]\\, w, \\qquad g(u) = \\tanh(a u)$$
(the log-cosh contrast), for all components at once followed by symmetric decorrelation
$W \\leftarrow (W W^\\top)^{-1/2} W$: the "parallel" variant of scikit-learn's `FastICA`, which
this follows. The start $W_0$ is a random orthogonal matrix from a generator seeded with
`seed`. Sources come out in an arbitrary order and sign, as ICA defines them.

Shapes: `x: [N, D]` -> `sources: [N, k]`, `unmixing: [k, D]` (from centered $x$ to $s$),
`iterations: []` (how many fixed-point steps ran).
"""

from __future__ import annotations

import torch
from torch import nn


def symmetric_decorrelation(w: torch.Tensor) -> torch.Tensor:
    """(W Wᵀ)^(-1/2) W."""
    eigenvalues, vectors = torch.linalg.eigh(w @ w.T)
    return vectors @ torch.diag(eigenvalues.clamp(min=1e-12).rsqrt()) @ vectors.T @ w


class FastICA(nn.Module):
    """Unmixes `n_components` independent, non-Gaussian sources from `x`."""

    def __init__(
        self, n_components: int = 3, alpha: float = 1.0, max_iter: int = 200, tol: float = 1e-4, seed: int = 0
    ):
        super().__init__()
        self.n_components, self.alpha, self.max_iter, self.tol, self.seed = (
            n_components,
            alpha,
            max_iter,
            tol,
            seed,
        )

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D] -> sources [N, k], unmixing [k, D], iterations []."""
        k = self.n_components
        if k > x.shape[1]:
            raise ValueError(f"n_components {k} exceeds the {x.shape[1]} observed signals")
        centered = x - x.mean(dim=0)
        # whitening z = D^(-1/2) Eᵀ x̄ on the k leading eigenvectors of the covariance
        eigenvalues, vectors = torch.linalg.eigh(centered.T @ centered / x.shape[0])
        top = eigenvalues.argsort(descending=True)[:k]
        whitening = torch.diag(eigenvalues[top].clamp(min=1e-12).rsqrt()) @ vectors[:, top].T
        z = centered @ whitening.T
        generator = torch.Generator().manual_seed(self.seed)
        w = symmetric_decorrelation(torch.randn(k, k, generator=generator).to(x))
        steps = 0
        for steps in range(1, self.max_iter + 1):  # noqa: B007 (the count is reported)
            u = z @ w.T
            g = torch.tanh(self.alpha * u)
            g_prime = self.alpha * (1 - g.square())
            # w⁺ = E[z g(wᵀz)] − E[g'(wᵀz)] w, then symmetric decorrelation
            new = symmetric_decorrelation(g.T @ z / x.shape[0] - g_prime.mean(dim=0)[:, None] * w)
            converged = float((torch.diagonal(new @ w.T).abs() - 1).abs().max()) < self.tol
            w = new
            if converged:
                break
        unmixing = w @ whitening
        return {"sources": centered @ unmixing.T, "unmixing": unmixing, "iterations": torch.tensor(steps)}
