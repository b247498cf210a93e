"""Random Search: hyperparameters drawn independently and uniformly, the best trial kept.

Paper: Random Search for Hyper-Parameter Optimization (Bergstra & Bengio, 2012)
- https://jmlr.org/papers/v13/bergstra12a.html

Random search evaluates $n$ configurations $\\lambda^{(1..n)}$ drawn i.i.d. from the search space
and returns $\\arg\\min_i \\Psi(\\lambda^{(i)})$. The paper's point: when only a few of the $d$
hyperparameters matter (low effective dimensionality), $n$ random trials try $n$ distinct values
of each important one, where a grid of $n$ points tries only $n^{1/d}$.

The demo's objective is the toy validation loss
$\\Psi(\\lambda) = \\sum_j c_j (\\lambda_j - \\lambda^*_j)^2$ over the unit cube $[0, 1]^d$, with
importances $c_j$ decaying geometrically ($c_j = 10^{-j}$) so that one or two coordinates matter,
and the optimum $\\lambda^*$ given as input. Draws come from a generator seeded with `seed`.

Shapes: `optimum: [d]` -> `trials: [n, d]`, `losses: [n]`, `best: [d]`,
`best_so_far: [n]` (the running minimum, the curve the paper plots).
"""

from __future__ import annotations

import torch
from torch import nn


def toy_validation_loss(trials: torch.Tensor, optimum: torch.Tensor) -> torch.Tensor:
    """Ψ(λ) = Σ_j 10^(−j) (λ_j − λ*_j)² for each row of `trials`."""
    importance = 10.0 ** -torch.arange(trials.shape[1], dtype=trials.dtype, device=trials.device)
    return ((trials - optimum).square() * importance).sum(dim=1)


class RandomSearch(nn.Module):
    """Draws `n_trials` configurations uniformly from the unit cube and keeps the best."""

    def __init__(self, n_trials: int = 32, seed: int = 0):
        super().__init__()
        self.n_trials, self.seed = n_trials, seed

    def forward(self, optimum: torch.Tensor) -> dict[str, torch.Tensor]:
        """optimum: [d] -> trials [n, d], losses [n], best [d], best_so_far [n]."""
        generator = torch.Generator().manual_seed(self.seed)
        trials = torch.rand(self.n_trials, optimum.shape[0], generator=generator).to(optimum)
        losses = toy_validation_loss(trials, optimum)
        return {
            "trials": trials,
            "losses": losses,
            "best": trials[losses.argmin()],
            "best_so_far": losses.cummin(dim=0).values,
        }
