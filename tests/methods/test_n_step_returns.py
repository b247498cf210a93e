"""N-step returns against an explicit per-step loop over the definition (Sutton & Barto, Eq. 7.1)."""

import torch

from methods import registry

T, B = 9, 4


def _inputs(device, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs = {
        "rewards": torch.randn(T, B, generator=g),
        "values": torch.randn(T, B, generator=g),
        "dones": torch.rand(T, B, generator=g) < 0.2,
        "bootstrap_value": torch.randn(B, generator=g),
    }
    return {k: v.to(device) for k, v in inputs.items()}


def _naive(inp, n, gamma):
    """For each t: add gamma^k r_{t+k+1} until n rewards, an episode end or the sequence end."""
    r, v, d = inp["rewards"].cpu().tolist(), inp["values"].cpu().tolist(), inp["dones"].cpu().tolist()
    boot = inp["bootstrap_value"].cpu().tolist()
    out = torch.zeros(T, B, dtype=torch.float64)
    for b in range(B):
        for t in range(T):
            total, k, ended = 0.0, 0, False
            while k < n and t + k < T:
                total += gamma**k * r[t + k][b]
                k += 1
                if d[t + k - 1][b]:
                    ended = True
                    break
            if not ended:
                # V(s_{t+k}), which is the bootstrap V(s_T) past the stored values
                total += gamma**k * (v[t + k][b] if t + k < T else boot[b])
            out[t, b] = total
    return out


def test_n_step_returns_match_a_per_step_loop(device):
    """Reference: G_t = sum_{k<n} gamma^k r_{t+k+1} + gamma^n V(s_{t+n}), truncated, by explicit loops."""
    for n, gamma in [(1, 0.9), (3, 0.99), (5, 0.8), (20, 0.95)]:
        inp = _inputs(device, seed=n)
        got = registry.get("n-step-returns").build(n=n, gamma=gamma)(**inp)
        expected = _naive(inp, n, gamma)
        assert torch.allclose(got.cpu().double(), expected, atol=1e-5), f"n-step returns differ (n={n})"


def test_one_step_return_is_the_td_target(device):
    """Reference: n = 1 gives the TD(0) target r_{t+1} + gamma (1 - done_t) V(s_{t+1})."""
    inp = _inputs(device, seed=7)
    got = registry.get("n-step-returns").build(n=1, gamma=0.9)(**inp)
    next_values = torch.cat([inp["values"][1:], inp["bootstrap_value"][None]])
    expected = inp["rewards"] + 0.9 * (~inp["dones"]).float() * next_values
    assert torch.allclose(got, expected, atol=1e-6), "n = 1 is not the one-step TD target"


def test_long_horizon_without_episode_ends_is_the_monte_carlo_return(device):
    """Property: n >= T with no episode end gives the full discounted return bootstrapped at V(s_T)."""
    inp = _inputs(device, seed=8)
    inp["dones"] = torch.zeros_like(inp["dones"])
    got = registry.get("n-step-returns").build(n=T + 5, gamma=0.9)(**inp)
    discounts = 0.9 ** torch.arange(T, device=device, dtype=torch.float32)
    first = (discounts[:, None] * inp["rewards"]).sum(0) + 0.9**T * inp["bootstrap_value"]
    assert torch.allclose(got[0], first, atol=1e-5), "full-length return at t = 0 is wrong"
