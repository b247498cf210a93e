"""Monte Carlo dropout, dropout kept on at test time as approximate Bayesian inference.

Paper: Dropout as a Bayesian Approximation: Representing Model Uncertainty in
Deep Learning - https://arxiv.org/abs/1506.02142

A network trained with dropout before every weight layer approximates a
deep Gaussian process. Keeping dropout active at test time and averaging T
stochastic forward passes estimates the predictive mean,
E[y*] ≈ (1/T) Σ_t ŷ_t(x*), and the spread of the passes estimates the model's
uncertainty, Var[y*] ≈ τ⁻¹I + (1/T) Σ_t ŷ_tᵀŷ_t − E[y*]ᵀE[y*] (the τ⁻¹ term, the
observation noise, is left out here). The paper uses T = 10 to 1000 passes; the
network here is a two-hidden-layer perceptron with dropout before each layer.

Shapes: `forward(x: [B, in_features]) -> {"mean": [B, out], "variance": [B, out], "samples": [T, B, out]}`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class MonteCarloDropout(nn.Module):
    """T passes of an MLP with dropout on in every mode; their mean and variance."""

    def __init__(
        self, in_features: int = 8, hidden: int = 32, out_features: int = 2, p: float = 0.2, samples: int = 20
    ) -> None:
        super().__init__()
        self.p, self.samples = p, samples
        self.layers = nn.ModuleList(
            [nn.Linear(in_features, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, out_features)]
        )

    def once(self, x: torch.Tensor) -> torch.Tensor:
        """One stochastic pass: dropout before every weight layer, on even in eval mode."""
        for i, layer in enumerate(self.layers):
            x = layer(F.dropout(x, self.p, training=True))
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, in_features] -> the predictive mean and variance over `samples` passes, and the passes."""
        samples = torch.stack([self.once(x) for _ in range(self.samples)])  # ŷ_t: [T, B, out]
        # E[y*] ≈ mean_t ŷ_t ;  Var[y*] ≈ mean_t ŷ_t² − E[y*]²
        mean = samples.mean(dim=0)
        return {"mean": mean, "variance": samples.pow(2).mean(dim=0) - mean.pow(2), "samples": samples}
