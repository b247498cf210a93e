"""Randomized Smoothing: a classifier made certifiably robust by voting under Gaussian noise.

Paper: Certified Adversarial Robustness via Randomized Smoothing (Cohen, Rosenfeld & Kolter, 2019)
- https://arxiv.org/abs/1902.02918

The smoothed classifier returns the class the base classifier $f$ most likely outputs under
Gaussian noise, $g(x) = \\arg\\max_c P(f(x + \\varepsilon) = c)$, $\\varepsilon \\sim \\mathcal{N}(0, \\sigma^2 I)$. If the top
class has probability at least $\\underline{p_A}$, $g$ is constant within the $\\ell_2$ radius
$$R = \\sigma\\, \\Phi^{-1}(\\underline{p_A}).$$
CERTIFY estimates $\\underline{p_A}$ from $n$ noisy samples; this demo uses the empirical share of
the top class, capped below one, in place of the paper's Clopper-Pearson lower bound, and
abstains (radius 0) when it is at most 1/2. The base classifier is a small MLP; noise comes
from a generator seeded with `seed`.

Shapes: `x: [B, D]` -> `prediction: [B]`, `radius: [B]`, `counts: [B, C]`, `probabilities: [B, C]`
(the noise-averaged softmax, the differentiable soft version used for training).
"""

from __future__ import annotations

import torch
from torch import nn


class RandomizedSmoothing(nn.Module):
    """Monte-Carlo smoothed prediction and its certified L2 radius."""

    def __init__(
        self,
        in_features: int = 8,
        num_classes: int = 3,
        hidden: int = 32,
        sigma: float = 0.5,
        samples: int = 200,
        seed: int = 0,
    ):
        super().__init__()
        self.base = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, num_classes))
        self.num_classes, self.sigma, self.samples, self.seed = num_classes, sigma, samples, seed

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D] -> prediction [B], radius [B], counts [B, C], probabilities [B, C]."""
        generator = torch.Generator().manual_seed(self.seed)
        noise = torch.randn(self.samples, *x.shape, generator=generator).to(x) * self.sigma
        logits = self.base(x + noise)  # [n, B, C]
        votes = logits.argmax(dim=-1)
        counts = nn.functional.one_hot(votes, self.num_classes).sum(dim=0)
        prediction = counts.argmax(dim=1)
        p_a = (counts.max(dim=1).values.to(x.dtype) / self.samples).clamp(max=1 - 0.5 / self.samples)
        # R = σ Φ⁻¹(p_A), abstaining (R = 0) when p_A ≤ 1/2
        radius = (self.sigma * torch.special.ndtri(p_a)).clamp(min=0)
        # the soft smoothed classifier E_ε[softmax f(x + ε)], differentiable for training
        probabilities = logits.softmax(dim=-1).mean(dim=0)
        return {"prediction": prediction, "radius": radius, "counts": counts, "probabilities": probabilities}
