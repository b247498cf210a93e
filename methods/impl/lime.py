"""LIME: Local Interpretable Model-agnostic Explanations, a weighted linear surrogate around one input.

Paper: "Why Should I Trust You?": Explaining the Predictions of Any Classifier (Ribeiro, Singh &
Guestrin, 2016) - https://arxiv.org/abs/1602.04938

LIME explains $f$ at $x$ by the interpretable model $g$ minimizing
$\\mathcal{L}(f, g, \\pi_x) + \\Omega(g)$: it draws perturbations $z$ around $x$, weighs them by the
proximity kernel $\\pi_x(z) = \\exp(-D(x, z)^2 / \\sigma^2)$ and fits a ridge-regularized linear
model $g(z) = w^\\top z + b$ by weighted least squares,
$$\\min_{w, b} \\sum_z \\pi_x(z) (f(z) - g(z))^2 + \\lambda \\lVert w \\rVert^2,$$
the tabular explainer of the `lime` package (which samples from the training distribution;
here Gaussian perturbations of scale `scale` from a generator seeded with `seed`). The model
explained is a small MLP built with the explainer.

Shapes: `x: [D]` -> `weights: [D]` (the local linear explanation), `intercept: []`,
`local_fidelity: []` (weighted $R^2$ of the surrogate), `prediction: []`.
"""

from __future__ import annotations

import torch
from torch import nn


class LIME(nn.Module):
    """Weighted ridge regression of a small MLP's outputs on perturbations of x."""

    def __init__(
        self,
        num_features: int = 6,
        hidden: int = 16,
        num_samples: int = 256,
        scale: float = 0.5,
        kernel_width: float = 1.0,
        ridge: float = 1e-3,
        seed: int = 0,
    ):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(num_features, hidden), nn.Tanh(), nn.Linear(hidden, 1))
        self.num_samples, self.scale, self.kernel_width, self.ridge, self.seed = (
            num_samples,
            scale,
            kernel_width,
            ridge,
            seed,
        )

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [D] -> weights [D], intercept [], local_fidelity [], prediction []."""
        generator = torch.Generator().manual_seed(self.seed)
        z = x + self.scale * torch.randn(self.num_samples, x.shape[0], generator=generator).to(x)
        fz = self.model(z).squeeze(-1)
        # π_x(z) = exp(−‖x − z‖² / σ²)
        pi = torch.exp(-(z - x).square().sum(dim=1) / self.kernel_width**2)
        design = torch.cat([torch.ones_like(z[:, :1]), z - x], dim=1)
        # (Zᵀ Π Z + λ I₀) β = Zᵀ Π f
        penalty = self.ridge * torch.diag(torch.cat([x.new_zeros(1), x.new_ones(x.shape[0])]))
        beta = torch.linalg.solve(design.T @ (pi[:, None] * design) + penalty, design.T @ (pi * fz))
        fitted = design @ beta
        mean = (pi * fz).sum() / pi.sum()
        fidelity = 1 - (pi * (fz - fitted).square()).sum() / (pi * (fz - mean).square()).sum()
        return {
            "weights": beta[1:],
            "intercept": beta[0],
            "local_fidelity": fidelity,
            "prediction": self.model(x).squeeze(-1),
        }
