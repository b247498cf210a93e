"""Deep Ensembles: independently initialized networks trained with proper scoring rules, averaged as a mixture.

Paper: Simple and Scalable Predictive Uncertainty Estimation using Deep Ensembles (Lakshminarayanan,
Pritzel & Blundell, 2017) - https://arxiv.org/abs/1612.01474

Each of $M$ networks, from its own random initialization, predicts a Gaussian
$\\mathcal{N}(\\mu_m(x), \\sigma^2_m(x))$ (variance through a softplus) and is trained on the Gaussian
negative log-likelihood, a proper scoring rule. The ensemble is the uniform mixture, approximated
by a Gaussian with
$$\\mu_*(x) = \\frac1M \\sum_m \\mu_m(x), \\qquad \\sigma^2_*(x) = \\frac1M \\sum_m (\\sigma^2_m(x) + \\mu_m^2(x)) - \\mu_*^2(x),$$
whose variance adds the members' disagreement (epistemic) to their predicted noise (aleatoric).
Adversarial training, the paper's optional third ingredient, is left out.

Shapes: `x: [B, D]`, `y: [B]` -> `mean: [B]`, `variance: [B]`, `member_means: [M, B]`,
`loss: []` (the members' summed NLL).
"""

from __future__ import annotations

import torch
from torch import nn


class DeepEnsemble(nn.Module):
    """M Gaussian-output MLPs, their NLL, and the mixture's mean and variance."""

    def __init__(self, in_features: int = 4, hidden: int = 32, members: int = 5):
        super().__init__()
        self.members = nn.ModuleList(
            nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, 2))
            for _ in range(members)
        )

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D], y: [B] -> mean [B], variance [B], member_means [M, B], loss []."""
        outputs = torch.stack([member(x) for member in self.members])
        means, variances = outputs[..., 0], nn.functional.softplus(outputs[..., 1]) + 1e-6
        loss = (
            nn.functional.gaussian_nll_loss(means, y.expand_as(means), variances, full=True, reduction="none")
            .mean(dim=1)
            .sum()
        )
        # μ* = mean μ_m;  σ*² = mean(σ_m² + μ_m²) − μ*²
        mean = means.mean(dim=0)
        variance = (variances + means.square()).mean(dim=0) - mean.square()
        return {"mean": mean, "variance": variance, "member_means": means, "loss": loss}
