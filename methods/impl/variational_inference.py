"""Variational Inference: a mean-field Gaussian posterior fitted by maximizing the evidence lower bound.

Paper: An Introduction to Variational Methods for Graphical Models (Jordan, Ghahramani, Jaakkola &
Saul, 1999) - https://doi.org/10.1023/A:1007665907178

Variational inference replaces the intractable posterior $p(w \\mid \\mathcal{D})$ by the closest
member of a tractable family $q_\\phi(w)$, maximizing
$$\\text{ELBO}(\\phi) = \\mathbb{E}_{q_\\phi}[\\log p(\\mathcal{D} \\mid w)] - \\mathrm{KL}(q_\\phi(w) \\,\\|\\, p(w)) \\le \\log p(\\mathcal{D}).$$
Here the model is Bayesian linear regression, $y \\sim \\mathcal{N}(Xw, \\sigma^2)$ with prior
$w \\sim \\mathcal{N}(0, \\alpha^{-1} I)$, and $q$ is mean-field Gaussian $\\mathcal{N}(m, \\text{diag}(s^2))$;
the expectation is estimated with $S$ reparameterized samples $w = m + s \\odot \\epsilon$
(stochastic gradient VI, Kingma & Welling, 2014), the KL is closed form. Samples come from a
generator seeded with `seed`.

Shapes: `x: [N, D]`, `y: [N]` -> `elbo: []`, `expected_log_likelihood: []`, `kl: []`,
`posterior_mean: [D]`, `posterior_std: [D]`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class MeanFieldVI(nn.Module):
    """q(w) = N(m, diag(s²)) for Bayesian linear regression, and its Monte-Carlo ELBO."""

    def __init__(
        self,
        in_features: int = 4,
        noise_std: float = 0.5,
        prior_precision: float = 1.0,
        samples: int = 8,
        seed: int = 0,
    ):
        super().__init__()
        self.mean = nn.Parameter(torch.zeros(in_features))
        self.log_std = nn.Parameter(torch.full((in_features,), -1.0))
        self.noise_std, self.prior_precision, self.samples, self.seed = (
            noise_std,
            prior_precision,
            samples,
            seed,
        )

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], y: [N] -> elbo, expected_log_likelihood, kl, posterior_mean, posterior_std."""
        generator = torch.Generator().manual_seed(self.seed)
        eps = torch.randn(self.samples, x.shape[1], generator=generator).to(x)
        std = self.log_std.exp()
        # w = m + s ⊙ ε
        w = self.mean + std * eps
        residual = y - w @ x.T
        log_lik = (
            -0.5 * residual.square() / self.noise_std**2
            - math.log(self.noise_std)
            - 0.5 * math.log(2 * math.pi)
        ).sum(dim=1)
        expected = log_lik.mean()
        # KL(N(m, s²) ‖ N(0, 1/α)) = ½ Σ (α s² + α m² − 1 − log(α s²))
        a = self.prior_precision
        kl = 0.5 * (a * std.square() + a * self.mean.square() - 1 - torch.log(a * std.square())).sum()
        return {
            "elbo": expected - kl,
            "expected_log_likelihood": expected,
            "kl": kl,
            "posterior_mean": self.mean * 1,
            "posterior_std": std,
        }
