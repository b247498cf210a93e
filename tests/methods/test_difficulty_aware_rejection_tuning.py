"""DARS allocations against naive Python loops; expected sampling cost against the binomial sum."""

import math

import pytest
import torch

from methods import registry
from methods.spec import InputError


def _naive_prop2diff(difficulty, budget):
    """Iterative water-filling in plain Python, then largest remainder (ties: earlier query first)."""
    q = len(difficulty)
    lifted = set()
    while True:
        free = [i for i in range(q) if i not in lifted]
        scale = (budget - len(lifted)) / sum(difficulty[i] for i in free)
        newly = {i for i in free if scale * difficulty[i] < 1.0}
        if not newly:
            break
        lifted |= newly
    quotas = [1.0 if i in lifted else scale * difficulty[i] for i in range(q)]
    counts = [math.floor(x) for x in quotas]
    leftover = budget - sum(counts)
    order = sorted(range(q), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[:leftover]:
        counts[i] += 1
    return counts


def _naive_expected_samples(p, n, cap):
    """sum_{m < cap} P(Bin(m, p) < n), with the binomial pmf from math.comb."""
    return sum(
        sum(math.comb(m, j) * p**j * (1 - p) ** (m - j) for j in range(min(n, m + 1))) for m in range(cap)
    )


def _fail_rates(device, q=12, seed=0):
    return torch.rand(q, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(device)


def test_prop2diff_matches_a_naive_water_filling_loop(device):
    """Reference: a Python loop that lifts too-easy queries to 1 response, then largest remainder."""
    for seed, budget in [(0, 12), (1, 40), (2, 100), (3, 333)]:
        fail = _fail_rates(device, seed=seed)
        fail[0] = 0.0  # a query the model always solves still gets one response
        got = registry.get("dart").build(budget=budget, max_trials=4)(fail_rate=fail.float())
        expected = _naive_prop2diff(fail.float().cpu().tolist(), budget)
        assert got["prop2diff_counts"].cpu().tolist() == expected, f"Prop2Diff differs (budget={budget})"


def test_allocations_sum_to_the_budget_and_follow_difficulty(device):
    """Properties: Prop2Diff sums to N, gives >= 1 each and is monotone in difficulty; Uniform is equal."""
    fail = _fail_rates(device, q=16, seed=4).float()
    out = registry.get("dart").build(budget=150, max_trials=4)(fail_rate=fail)
    counts = out["prop2diff_counts"]
    assert int(counts.sum()) == 150, f"Prop2Diff allocates {int(counts.sum())}, not the budget 150"
    assert int(counts.min()) >= 1, "a query got no response"
    ranked = counts[fail.argsort()]
    assert bool((ranked[1:] >= ranked[:-1]).all()), f"counts not monotone in difficulty: {ranked.tolist()}"
    assert ranked[-1] > ranked[0], "hardest and easiest queries got the same count"
    assert out["uniform_counts"].unique().tolist() == [150 // 16], "Uniform counts are not all k_u"


def test_expected_raw_samples_match_the_binomial_sum(device):
    """Reference: E[min(K, n_max)] = sum_{m < n_max} P(Bin(m, p) < n), via math.comb."""
    fail = torch.tensor([0.0, 0.3, 0.7, 0.95, 0.5], device=device)
    cap = 60
    out = registry.get("dart").build(budget=20, max_trials=cap)(fail_rate=fail)
    for name in ("uniform", "prop2diff"):
        counts = out[f"{name}_counts"].cpu().tolist()
        got = out[f"{name}_expected_samples"].cpu().tolist()
        for i, f in enumerate(fail.cpu().tolist()):
            expected = _naive_expected_samples(1 - f, counts[i], cap)
            assert abs(got[i] - expected) < 1e-3 * max(1.0, expected), f"{name} cost of query {i} differs"


def test_uncapped_cost_is_the_negative_binomial_mean(device):
    """Reference: with a cap far above the need, E[K] = n / p (negative binomial mean)."""
    fail = torch.tensor([0.2, 0.5, 0.6], device=device)
    out = registry.get("dart").build(budget=12, max_trials=2000)(fail_rate=fail)
    expected = out["uniform_counts"].float() / (1 - fail)
    assert torch.allclose(out["uniform_expected_samples"], expected, rtol=1e-4), "uncapped cost != n / p"


def test_budget_below_the_query_count_is_rejected(device):
    """Property: Prop2Diff needs one response per query, so N < Q is an input error naming the budget."""
    with pytest.raises(InputError, match="budget"):
        registry.get("dart").build(budget=3)(fail_rate=_fail_rates(device, q=5).float())
