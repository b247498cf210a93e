"""Retrace against the explicit sum that defines the operator, and its lambda = 0 limit."""

import torch

from methods import registry

T, B, A = 6, 3, 4


def _inputs(device, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs = {
        "q_values": torch.randn(T, B, A, generator=g),
        "target_logits": torch.randn(T, B, A, generator=g),
        "actions": torch.randint(0, A, (T, B), generator=g),
        "behaviour_probs": 0.05 + 0.95 * torch.rand(T, B, generator=g),
        "rewards": torch.randn(T, B, generator=g),
        "discounts": 0.5 + 0.5 * torch.rand(T, B, generator=g),
        "bootstrap_value": torch.randn(B, generator=g),
    }
    inputs["discounts"][3, 1] = 0.0  # an episode end inside the sequence
    return {k: v.to(device) for k, v in inputs.items()}


def _naive_retrace(inp, lam):
    """Q(x_s,a_s) + sum_{t>=s} (prod_{i=s}^{t-1} gamma_i)(prod_{i=s+1}^{t} c_i) delta_t, by nested loops.

    delta_t = r_t + gamma_t E_pi Q(x_{t+1}, .) - Q(x_t, a_t) (Munos et al., 2016, Eq. (4)).
    """
    q = inp["q_values"].double().cpu()
    pi = torch.softmax(inp["target_logits"].double().cpu(), -1)
    a, mu = inp["actions"].cpu(), inp["behaviour_probs"].double().cpu()
    r, gam, boot = (
        inp["rewards"].double().cpu(),
        inp["discounts"].double().cpu(),
        inp["bootstrap_value"].cpu(),
    )
    out = torch.zeros(T, B, dtype=torch.float64)
    for b in range(B):
        q_taken = [float(q[t, b, a[t, b]]) for t in range(T)]
        c = [lam * min(1.0, float(pi[t, b, a[t, b]]) / float(mu[t, b])) for t in range(T)]
        expected = [sum(float(pi[t, b, k]) * float(q[t, b, k]) for k in range(A)) for t in range(T)]
        expected.append(float(boot[b]))
        for s in range(T):
            total = q_taken[s]
            for t in range(s, T):
                weight = 1.0
                for i in range(s, t):
                    weight *= float(gam[i, b])
                for i in range(s + 1, t + 1):
                    weight *= c[i]
                total += weight * (float(r[t, b]) + float(gam[t, b]) * expected[t + 1] - q_taken[t])
            out[s, b] = total
    return out


def test_retrace_matches_the_explicit_operator_sum(device):
    """Reference: the Retrace operator's defining sum, written as explicit loops (Munos et al., Eq. (4))."""
    for lam in (1.0, 0.6):
        inp = _inputs(device, seed=1)
        got = registry.get("retrace").build(trace_lambda=lam, num_actions=A)(**inp)
        expected = _naive_retrace(inp, lam)
        assert torch.allclose(got.cpu().double(), expected, atol=1e-5), (
            f"Retrace targets differ (lambda={lam})"
        )


def test_zero_lambda_gives_the_expected_sarsa_target(device):
    """Reference: with c_s = 0 the sum keeps only t = s, i.e. r_s + gamma_s E_pi Q(x_{s+1}, .)."""
    inp = _inputs(device, seed=2)
    got = registry.get("retrace").build(trace_lambda=0.0, num_actions=A)(**inp)
    pi = torch.softmax(inp["target_logits"], -1)
    expected_q = torch.cat([(pi * inp["q_values"]).sum(-1)[1:], inp["bootstrap_value"][None]])
    expected = inp["rewards"] + inp["discounts"] * expected_q
    assert torch.allclose(got, expected, atol=1e-5), "lambda = 0 is not the one-step expected-SARSA target"


def test_traces_are_truncated_at_one(device):
    """Property: c_s = lambda min(1, pi/mu), so any mu below pi gives the same targets as mu = pi."""
    inp = _inputs(device, seed=3)
    pi_taken = torch.softmax(inp["target_logits"], -1).gather(-1, inp["actions"].unsqueeze(-1)).squeeze(-1)
    build = registry.get("retrace").build(num_actions=A)
    at_pi = build(**dict(inp, behaviour_probs=pi_taken))
    below_pi = build(**dict(inp, behaviour_probs=0.3 * pi_taken))
    assert torch.allclose(at_pi, below_pi, atol=1e-6), "ratios above one were not truncated"
    above_pi = build(**dict(inp, behaviour_probs=(2.0 * pi_taken).clamp(max=1.0)))
    assert not torch.allclose(at_pi, above_pi, atol=1e-3), "ratios below one were truncated too"
