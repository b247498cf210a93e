"""Umbrella RL loss: against naive loops, the HJB equation, an exact flux divergence and its entropy terms."""

import math

import torch

from methods import registry

N, D = 16, 2


def _inputs(device, seed=0, n=N):
    g = torch.Generator().manual_seed(seed)
    inputs = {
        "value": torch.randn(n, generator=g),
        "value_grad": torch.randn(n, D, generator=g),
        "log_density": torch.randn(n, generator=g),
        "log_density_grad": torch.randn(n, D, generator=g),
        "log_policy": -torch.rand(n, generator=g) * 3,
        "log_policy_grad": torch.randn(n, D, generator=g),
        "reward": torch.randn(n, generator=g),
        "velocity": torch.randn(n, D, generator=g),
        "velocity_divergence": torch.randn(n, generator=g),
        "initial_density": 0.1 + torch.rand(n, generator=g),
    }
    return {k: v.to(device) for k, v in inputs.items()}


def test_zero_entropy_coefficient_gives_the_plain_policy_gradient_loss(device):
    """Reference: -mean_i ln pi_i (r_i + v_i . grad V_i + ln(gamma) V_i), per-state Python loop."""
    inp = _inputs(device, seed=1)
    out = registry.get("umbrella-reinforcement-learning").build(gamma=0.9, entropy_coef=0.0)(**inp)
    c = {k: v.cpu().double().tolist() for k, v in inp.items()}
    policy, value = 0.0, 0.0
    for i in range(N):
        hjb = c["reward"][i] + sum(c["velocity"][i][d] * c["value_grad"][i][d] for d in range(D))
        hjb += math.log(0.9) * c["value"][i]
        policy -= c["log_policy"][i] * hjb / N
        value -= c["value"][i] * hjb / N
    assert abs(float(out["policy_loss"]) - policy) < 1e-5, "policy loss is not plain REINFORCE at alpha = 0"
    assert abs(float(out["value_loss"]) - value) < 1e-5, "value loss differs from -mean(V A)"


def test_entropy_terms_shift_the_advantage_by_alpha_per_nat(device):
    """Property (Eq. 11): A(alpha) - A(0) = -alpha (ln p + ln pi): rarer states and actions pay more."""
    inp = _inputs(device, seed=2)
    entry = registry.get("umbrella-reinforcement-learning")
    plain = entry.build(entropy_coef=0.0)(**inp)["advantage"]
    shaped = entry.build(entropy_coef=0.3)(**inp)["advantage"]
    expected = -0.3 * (inp["log_density"] + inp["log_policy"])
    assert torch.allclose(shaped - plain, expected, atol=1e-5), "entropy bonus is not -alpha (ln p + ln pi)"


def test_advantage_vanishes_for_the_true_value_function(device):
    """Reference: V(s) = integral of gamma^t r(s(t)) dt along ds/dt = -s, by quadrature; then A = 0 (HJB)."""
    gamma, states = 0.6, torch.tensor([[0.5, -1.0], [1.5, 0.2], [-0.7, 0.9]], dtype=torch.float64)
    times = torch.linspace(0.0, 40.0, 20_001, dtype=torch.float64)

    def discounted_return(s):  # r(s) = |s|^2 along s(t) = s e^{-t}
        rewards = (s[:, None, :] * torch.exp(-times)[None, :, None]).pow(2).sum(-1)
        return torch.trapezoid(gamma**times * rewards, times, dim=-1)

    h = 1e-4
    grads = torch.stack(
        [
            (discounted_return(states + h * e) - discounted_return(states - h * e)) / (2 * h)
            for e in torch.eye(2)
        ],
        dim=-1,
    )
    n = states.shape[0]
    inp = {k: v[:n] for k, v in _inputs("cpu", seed=3, n=n).items()}
    inp.update(
        value=discounted_return(states).float(),
        value_grad=grads.float(),
        reward=states.pow(2).sum(-1).float(),
        velocity=(-states).float(),
    )
    inp = {k: v.to(device) for k, v in inp.items()}
    out = registry.get("umbrella-reinforcement-learning").build(gamma=gamma, entropy_coef=0.0)(**inp)
    assert out["advantage"].abs().max() < 1e-3, f"HJB residual of the true value is {out['advantage']}"


def test_flux_divergence_estimate_is_unbiased_over_actions(device):
    """Reference: div(p sum_a pi(a|s) v(s,a)) by autograd for analytic p, pi, v; vs E_a~pi of g's estimate."""
    torch.manual_seed(0)
    actions, gamma = 3, 0.8
    w_pi, b_pi = torch.randn(actions, D, dtype=torch.float64), torch.randn(actions, dtype=torch.float64)
    mats, offsets = (
        torch.randn(actions, D, D, dtype=torch.float64),
        torch.randn(actions, D, dtype=torch.float64),
    )
    shift = torch.randn(D, dtype=torch.float64)
    states = torch.randn(5, D, dtype=torch.float64, requires_grad=True)
    p0 = torch.rand(5, dtype=torch.float64) + 0.1

    log_p = -0.5 * states.pow(2).sum(-1) + states @ shift
    log_pi = torch.log_softmax(states @ w_pi.T + b_pi, -1)  # [5, actions]
    velocity = torch.einsum("aij,nj->nai", mats, states) + offsets  # [5, actions, D]
    flux = log_p.exp()[:, None] * (log_pi.exp()[..., None] * velocity).sum(1)  # [5, D]
    divergence = sum(
        torch.autograd.grad(flux[:, d].sum(), states, create_graph=True)[0][:, d] for d in range(D)
    )
    exact = math.log(gamma) * (log_p.exp() - p0) - divergence

    grad_log_p = torch.autograd.grad(log_p.sum(), states, retain_graph=True)[0]
    loss = registry.get("umbrella-reinforcement-learning").build(gamma=gamma)
    estimate = torch.zeros(5, dtype=torch.float64)
    for a in range(actions):
        grad_log_pi = torch.autograd.grad(log_pi[:, a].sum(), states, retain_graph=True)[0]
        inp = _inputs("cpu", seed=4, n=5)
        inp.update(
            log_density=log_p.detach().float(),
            log_density_grad=grad_log_p.float(),
            log_policy=log_pi[:, a].detach().float(),
            log_policy_grad=grad_log_pi.float(),
            velocity=velocity[:, a].detach().float(),
            velocity_divergence=torch.full((5,), float(mats[a].trace())),
            initial_density=p0.float(),
        )
        g = loss(**{k: v.to(device) for k, v in inp.items()})["growth_rate"].cpu().double()
        estimate += log_pi[:, a].exp().detach() * g
    assert torch.allclose(estimate, exact.detach(), rtol=1e-4, atol=1e-4), (
        "E_a[g] != exact growth rate (Eq. 16)"
    )


def test_policy_loss_descent_raises_policy_entropy(device):
    """Property: with r = 0, V = 0, the -alpha ln pi bonus makes the policy gradient an entropy ascent."""
    logits = torch.tensor([2.0, 0.0, -1.0, -2.0], device=device, requires_grad=True)
    samples = 20_000
    actions = torch.multinomial(
        torch.softmax(logits.detach(), -1).cpu(),
        samples,
        replacement=True,
        generator=torch.Generator().manual_seed(0),
    ).to(device)
    inp = {k: v.to(device) for k, v in _inputs("cpu", seed=5, n=samples).items()}
    zeros = torch.zeros(samples, device=device)
    inp.update(
        value=zeros,
        value_grad=torch.zeros(samples, D, device=device),
        reward=zeros,
        log_density=zeros,
        log_policy=torch.log_softmax(logits, -1)[actions],
    )
    out = registry.get("umbrella-reinforcement-learning").build(entropy_coef=0.5)(**inp)
    (grad,) = torch.autograd.grad(out["policy_loss"], logits)
    probs = torch.softmax(logits, -1)
    (entropy_grad,) = torch.autograd.grad(-(probs * probs.log()).sum(), logits)
    cosine = torch.nn.functional.cosine_similarity(-grad, entropy_grad, dim=0)
    assert cosine > 0.95, f"descent direction is not entropy ascent (cosine {float(cosine):.3f})"


def test_density_loss_relaxes_a_still_ensemble_towards_the_initial_density(device):
    """Property (Eq. 16 with v = 0): g = ln(gamma)(p - p0), so descent lowers ln p exactly where p > p0."""
    inp = _inputs(device, seed=6)
    inp["velocity"] = torch.zeros_like(inp["velocity"])
    inp["velocity_divergence"] = torch.zeros_like(inp["velocity_divergence"])
    inp["log_density"] = inp["log_density"].clone().requires_grad_(True)
    out = registry.get("umbrella-reinforcement-learning").build()(**inp)
    (grad,) = torch.autograd.grad(out["density_loss"], inp["log_density"])
    above = inp["log_density"].detach().exp() > inp["initial_density"]
    assert torch.equal(grad > 0, above), "density update does not move p towards p0"
