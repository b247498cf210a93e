"""Prioritized Experience Replay: transitions replayed in proportion to their TD error, with importance weights.

Paper: Prioritized Experience Replay (Schaul, Quan, Antonoglou & Silver, 2016) - https://arxiv.org/abs/1511.05952

Each stored transition $i$ has priority $p_i = |\\delta_i| + \\epsilon$ (proportional variant) and is
sampled with probability
$$P(i) = \\frac{p_i^\\alpha}{\\sum_k p_k^\\alpha},$$
$\\alpha = 0$ being uniform replay. The bias this introduces is corrected by importance-sampling
weights $w_i = (N \\cdot P(i))^{-\\beta}$, normalized by their maximum so they only scale updates
down, with $\\beta$ annealed to 1 during training. Sampling draws from a generator seeded with
`seed` (the paper uses a sum-tree for $O(\\log N)$ sampling; at demo size a categorical draw over
all priorities is the same distribution).

Shapes: `td_errors: [N]` (current $\\delta_i$ of the stored transitions) -> `probabilities: [N]`,
`indices: [batch_size]`, `weights: [batch_size]`.
"""

from __future__ import annotations

import torch
from torch import nn


class PrioritizedReplay(nn.Module):
    """Proportional prioritization: P(i) ∝ (|δ_i| + ε)^α, weights (N P(i))^(−β) / max."""

    def __init__(
        self, alpha: float = 0.6, beta: float = 0.4, epsilon: float = 1e-6, batch_size: int = 8, seed: int = 0
    ):
        super().__init__()
        self.alpha, self.beta, self.epsilon, self.batch_size, self.seed = (
            alpha,
            beta,
            epsilon,
            batch_size,
            seed,
        )

    def forward(self, td_errors: torch.Tensor) -> dict[str, torch.Tensor]:
        """td_errors: [N] -> probabilities [N], indices [batch_size], weights [batch_size]."""
        # P(i) = p_i^α / Σ_k p_k^α,  p_i = |δ_i| + ε
        priorities = (td_errors.abs() + self.epsilon) ** self.alpha
        probabilities = priorities / priorities.sum()
        generator = torch.Generator().manual_seed(self.seed)
        indices = torch.multinomial(
            probabilities.detach().cpu(), self.batch_size, replacement=True, generator=generator
        ).to(td_errors.device)
        # w_i = (N P(i))^(−β), normalized by the largest weight of all transitions
        n = td_errors.shape[0]
        all_weights = (n * probabilities) ** -self.beta
        weights = all_weights[indices] / all_weights.max()
        return {"probabilities": probabilities, "indices": indices, "weights": weights}
