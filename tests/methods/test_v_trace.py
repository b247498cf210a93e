"""V-trace against the paper's closed-form sum and the on-policy n-step Bellman target."""

import torch

from methods import registry

T, B, A = 7, 3, 5


def _inputs(device, seed=0, same_policy=False):
    g = torch.Generator().manual_seed(seed)
    target_logits = torch.randn(T, B, A, generator=g)
    behaviour_logits = target_logits.clone() if same_policy else torch.randn(T, B, A, generator=g)
    inputs = {
        "target_logits": target_logits,
        "behaviour_logits": behaviour_logits,
        "actions": torch.randint(0, A, (T, B), generator=g),
        "rewards": torch.randn(T, B, generator=g),
        "discounts": 0.5 + 0.5 * torch.rand(T, B, generator=g),
        "values": torch.randn(T, B, generator=g),
        "bootstrap_value": torch.randn(B, generator=g),
    }
    inputs["discounts"][2, 0] = 0.0  # an episode end inside the sequence
    return {k: v.to(device) for k, v in inputs.items()}


def _naive_vtrace(inp, rho_bar, c_bar):
    """The paper's definition, Eq. (1), with explicit loops over s, t and the product over i."""
    log_pi = torch.log_softmax(inp["target_logits"].double().cpu(), -1)
    log_mu = torch.log_softmax(inp["behaviour_logits"].double().cpu(), -1)
    a = inp["actions"].cpu()
    r, gam = inp["rewards"].double().cpu(), inp["discounts"].double().cpu()
    v = torch.cat([inp["values"].double().cpu(), inp["bootstrap_value"].double().cpu()[None]])
    vs = torch.zeros(T, B, dtype=torch.float64)
    adv = torch.zeros(T, B, dtype=torch.float64)
    for b in range(B):
        ratio = [float(torch.exp(log_pi[t, b, a[t, b]] - log_mu[t, b, a[t, b]])) for t in range(T)]
        for s in range(T):
            total = float(v[s, b])
            for t in range(s, T):
                weight = 1.0
                for i in range(s, t):
                    weight *= float(gam[i, b]) * min(c_bar, ratio[i])
                delta = min(rho_bar, ratio[t]) * (
                    float(r[t, b]) + float(gam[t, b]) * float(v[t + 1, b]) - float(v[t, b])
                )
                total += weight * float(delta)
            vs[s, b] = total
        for s in range(T):
            next_vs = float(vs[s + 1, b]) if s + 1 < T else float(v[T, b])
            adv[s, b] = min(rho_bar, ratio[s]) * (
                float(r[s, b]) + float(gam[s, b]) * next_vs - float(v[s, b])
            )
    return vs, adv


def test_vtrace_matches_the_explicit_sum_definition(device):
    """Reference: v_s = V(x_s) + sum_t gamma^(t-s) (prod_i c_i) delta_t V, IMPALA Eq. (1), nested loops."""
    for rho_bar, c_bar in [(1.0, 1.0), (2.0, 0.7), (0.5, 0.5)]:
        inp = _inputs(device, seed=1)
        out = registry.get("v-trace").build(
            clip_rho_threshold=rho_bar, clip_c_threshold=c_bar, num_actions=A
        )(**inp)
        vs, adv = _naive_vtrace(inp, rho_bar, c_bar)
        assert torch.allclose(out["vs"].cpu().double(), vs, atol=1e-5), f"vs differ (rho_bar={rho_bar})"
        assert torch.allclose(out["pg_advantages"].cpu().double(), adv, atol=1e-5), (
            f"pg advantages differ (rho_bar={rho_bar}, c_bar={c_bar})"
        )


def test_on_policy_vtrace_is_the_n_step_bellman_target(device):
    """Reference: with pi = mu, v_s = sum_t (prod gamma) r_t + (prod gamma) V(x_T) (paper, Sec. 4.1)."""
    inp = _inputs(device, seed=2, same_policy=True)
    out = registry.get("v-trace").build(num_actions=A)(**inp)
    r, gam = inp["rewards"].cpu().double(), inp["discounts"].cpu().double()
    expected = torch.zeros(T, B, dtype=torch.float64)
    for s in range(T):
        ret, scale = torch.zeros(B, dtype=torch.float64), torch.ones(B, dtype=torch.float64)
        for t in range(s, T):
            ret += scale * r[t]
            scale *= gam[t]
        expected[s] = ret + scale * inp["bootstrap_value"].cpu().double()
    assert torch.allclose(out["vs"].cpu().double(), expected, atol=1e-5), "on-policy vs != n-step returns"


def test_truncation_bounds_the_importance_weight(device):
    """Property: a very likely target action cannot push the advantage past rho_bar times the TD error."""
    inp = _inputs(device, seed=3)
    inp["target_logits"] = inp["target_logits"].clone()
    inp["target_logits"].scatter_(-1, inp["actions"].unsqueeze(-1), 50.0)
    out = registry.get("v-trace").build(clip_rho_threshold=1.0, num_actions=A)(**inp)
    inp_on = dict(inp, behaviour_logits=inp["target_logits"])
    on = registry.get("v-trace").build(num_actions=A)(**inp_on)
    # pi(a)/mu(a) >= 1 everywhere, so rho = c = 1 exactly as on-policy
    assert torch.allclose(out["vs"], on["vs"], atol=1e-5), "clipped ratios did not act as 1"
