"""Gaussian Process: exact regression posterior under a squared-exponential kernel.

Paper: Gaussian Processes for Machine Learning (Rasmussen & Williams, 2006), Algorithm 2.1
- https://gaussianprocess.org/gpml/chapters/RW2.pdf

A GP prior $f \\sim \\mathcal{GP}(0, k)$ with $k(x, x') = \\sigma_f^2 \\exp(-\\lVert x - x' \\rVert^2 / 2\\ell^2)$
and Gaussian noise $\\sigma_n^2$ gives, at test inputs $X_*$, the posterior
$$\\bar f_* = K_*^\\top (K + \\sigma_n^2 I)^{-1} y, \\qquad \\mathbb{V}[f_*] = k(X_*, X_*) - K_*^\\top (K + \\sigma_n^2 I)^{-1} K_*,$$
computed with the Cholesky factor $L$ of $K + \\sigma_n^2 I$ as in Algorithm 2.1, along with the
log marginal likelihood $\\log p(y \\mid X) = -\\frac12 y^\\top \\alpha - \\sum_i \\log L_{ii} - \\frac{N}{2}\\log 2\\pi$.
The kernel hyperparameters $\\ell, \\sigma_f, \\sigma_n$ are learnable (through their logarithms), so the
marginal likelihood can be maximized by gradient ascent. GPyTorch's `ExactGP` is the famous
library this mirrors at demo scale.

Shapes: `x_train: [N, D]`, `y_train: [N]`, `x_test: [M, D]` -> `mean: [M]`, `variance: [M]`,
`log_marginal_likelihood: []`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class GaussianProcessRegression(nn.Module):
    """Posterior mean and variance of a zero-mean GP with an RBF kernel."""

    def __init__(self, lengthscale: float = 1.0, signal_std: float = 1.0, noise_std: float = 0.1):
        super().__init__()
        self.log_lengthscale = nn.Parameter(torch.tensor(math.log(lengthscale)))
        self.log_signal_std = nn.Parameter(torch.tensor(math.log(signal_std)))
        self.log_noise_std = nn.Parameter(torch.tensor(math.log(noise_std)))

    def kernel(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        # k(x, x') = σ_f² exp(−‖x − x'‖² / 2ℓ²)
        d2 = torch.cdist(a, b).square()
        return (2 * self.log_signal_std).exp() * torch.exp(-d2 / (2 * (2 * self.log_lengthscale).exp()))

    def forward(
        self, x_train: torch.Tensor, y_train: torch.Tensor, x_test: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """x_train: [N, D], y_train: [N], x_test: [M, D] -> mean [M], variance [M], log_marginal_likelihood []."""
        n = x_train.shape[0]
        noise = (2 * self.log_noise_std).exp()
        # L = cholesky(K + σ_n² I)
        chol = torch.linalg.cholesky(
            self.kernel(x_train, x_train) + noise * torch.eye(n, device=x_train.device)
        )
        # α = Lᵀ \ (L \ y)
        alpha = torch.cholesky_solve(y_train.unsqueeze(1), chol)[:, 0]
        k_star = self.kernel(x_train, x_test)
        # f̄* = K*ᵀ α
        mean = k_star.T @ alpha
        # V[f*] = k(x*, x*) − vᵀv,  v = L \ K*
        v = torch.linalg.solve_triangular(chol, k_star, upper=False)
        variance = (2 * self.log_signal_std).exp() - v.square().sum(dim=0)
        # log p(y|X) = −½ yᵀα − Σ log L_ii − (N/2) log 2π
        lml = -0.5 * y_train @ alpha - chol.diagonal().log().sum() - n / 2 * math.log(2 * math.pi)
        return {"mean": mean, "variance": variance.clamp(min=0), "log_marginal_likelihood": lml}
