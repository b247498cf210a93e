"""Difficulty-Aware Rejection Tuning (DART): the DARS sample allocations and their sampling cost.

Paper: DART-Math: Difficulty-Aware Rejection Tuning for Mathematical Problem-Solving (Tong et
al., 2024) - https://arxiv.org/abs/2407.13690

Rejection tuning synthesises training data by sampling responses to each query from a strong
model and keeping only the correct ones. Vanilla rejection sampling keeps a fixed number of
raw samples per query, so the kept data is biased towards easy queries and the hardest ones
often get no correct response. Difficulty-Aware Rejection Sampling (DARS) instead keeps
sampling each query until it has collected a target number of *correct* responses, with the
query's difficulty $d_i$ its fail rate under the synthesis model:

* DARS-Uniform: every query gets the same $k_u$ correct responses;
* DARS-Prop2Diff: the count is proportional to difficulty, $n_i \\propto d_i$, so the hardest
  queries get the most; every query keeps at least one response so easy ones stay covered.

Here both are sized by a budget $N$ of correct responses (the dataset size that sets $k_u$ and
$k_p$ in the paper): $k_u = \\lfloor N / Q \\rfloor$ for $Q$ queries, and Prop2Diff solves
$\\sum_i \\max(1, s \\, d_i) = N$ for the scale $s$ (a water-filling: queries with $s d_i < 1$
are lifted to one response), then rounds the real quotas to integers that sum to $N$ by the
largest-remainder method. Since raw samples per query are capped at $n_{max}$ trials, the
module also reports the expected raw-sample cost of each allocation: with success probability
$p_i = 1 - d_i$ per sample, the number of samples $K_i$ needed for $n_i$ successes is negative
binomial, and the expected cost is

$$\\mathbb{E}[\\min(K_i, n_{max})] = \\sum_{k=n_i}^{n_{max}} k \\binom{k-1}{n_i-1} p_i^{n_i}
(1-p_i)^{k-n_i} + n_{max} P(K_i > n_{max}).$$

Shapes: `fail_rate: [Q]` in $[0, 1]$ -> `uniform_counts, prop2diff_counts: [Q]` (int64),
`uniform_expected_samples, prop2diff_expected_samples: [Q]` (float).

Hyperparameters: `budget` is $N$, `max_trials` is $n_{max}$.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.spec import InputError


def largest_remainder(quotas: torch.Tensor, total: int) -> torch.Tensor:
    """Integers summing to `total` from real `quotas: [Q]` that sum to it: floors, then +1 by remainder."""
    counts = quotas.floor()
    leftover = total - int(counts.sum().round().item())
    # a stable sort keeps the earlier query first among equal remainders
    order = torch.sort(quotas - counts, descending=True, stable=True).indices
    bonus = torch.zeros_like(counts)
    bonus[order[:leftover]] = 1.0
    return (counts + bonus).long()


def expected_samples(success_prob: torch.Tensor, targets: torch.Tensor, max_trials: int) -> torch.Tensor:
    """$E[\\min(K, n_{max})]$ for $K$ ~ trials to reach `targets` successes: `[Q]`, `[Q]` -> `[Q]`."""
    p = success_prob.double().unsqueeze(-1)
    n = targets.double().unsqueeze(-1)
    k = torch.arange(1, max_trials + 1, device=success_prob.device, dtype=torch.float64)
    failures = (k - n).clamp(min=0.0)
    # P(K = k) = C(k-1, n-1) p^n (1-p)^(k-n) for k >= n (the n-th success lands on trial k)
    log_pmf = (
        torch.lgamma(k)
        - torch.lgamma(n)
        - torch.lgamma(failures + 1)
        + torch.xlogy(n, p)
        + torch.xlogy(failures, 1 - p)
    )
    pmf = torch.where(k >= n, log_pmf.exp(), 0.0)
    # E[min(K, n_max)] = sum_{k <= n_max} k P(K = k) + n_max P(K > n_max)
    expected = (k * pmf).sum(-1) + max_trials * (1 - pmf.sum(-1)).clamp(min=0.0)
    return expected.to(success_prob.dtype)


class DifficultyAwareRejectionSampling(nn.Module):
    """DARS-Uniform and DARS-Prop2Diff allocations of a budget of correct responses, with their cost."""

    def __init__(self, budget: int = 64, max_trials: int = 2048):
        super().__init__()
        self.budget = budget
        self.max_trials = max_trials

    def prop2diff(self, fail_rate: torch.Tensor) -> torch.Tensor:
        """Counts `[Q]` proportional to difficulty, at least one each, summing to the budget."""
        # all-easy queries carry no difficulty signal: split the budget evenly
        difficulty = fail_rate if bool((fail_rate > 0).any()) else torch.ones_like(fail_rate)
        ascending = difficulty.sort().values
        # if the k easiest are lifted to 1: k + s * sum_{i >= k} d_(i) = N, so s_k = (N - k) / suffix_k
        suffix = ascending.flip(0).cumsum(0).flip(0)
        lifted = torch.arange(ascending.shape[0], device=fail_rate.device, dtype=fail_rate.dtype)
        candidates = torch.where(suffix > 0, (self.budget - lifted) / suffix, torch.inf)
        # sum_i max(1, s d_i) is the largest of the k + s * suffix_k, so it first reaches N at min_k s_k
        scale = candidates.min()
        # n_i proportional to d_i, at least 1
        quotas = (scale * difficulty).clamp(min=1.0)
        return largest_remainder(quotas, self.budget)

    @torch.no_grad()
    def forward(self, fail_rate: torch.Tensor) -> dict[str, torch.Tensor]:
        """Fail rates `[Q]` -> response counts and expected raw samples per query, `[Q]` each."""
        queries = fail_rate.shape[0]
        if self.budget < queries:
            raise InputError(
                "params.budget", f"a budget of {self.budget} cannot give each of {queries} queries a response"
            )
        fail_rate = fail_rate.clamp(0.0, 1.0)
        uniform = torch.full_like(fail_rate, self.budget // queries, dtype=torch.long)
        prop2diff = self.prop2diff(fail_rate)
        # both allocations in one pass: p_i = 1 - d_i
        success_prob = (1.0 - fail_rate).repeat(2)
        cost = expected_samples(success_prob, torch.cat([uniform, prop2diff]), self.max_trials)
        return {
            "uniform_counts": uniform,
            "prop2diff_counts": prop2diff,
            "uniform_expected_samples": cost[:queries],
            "prop2diff_expected_samples": cost[queries:],
        }
