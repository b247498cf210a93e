"""Nearest neighbours, policy gradients, alignment, over-sampling, ensembles, smoothing and value
targets against brute force, closed forms and the properties their papers state."""

import itertools
import math

import torch

from methods import registry
from methods.impl.reinforce import discounted_returns

g = torch.Generator().manual_seed(9)


def _randn(*shape):
    return torch.randn(*shape, generator=g, dtype=torch.float64)


def test_knn_votes_match_a_loop_over_sorted_distances():
    train_x, train_y, query = _randn(30, 2), torch.randint(0, 3, (30,), generator=g), _randn(6, 2)
    out = registry.get("k-NN").build(k=5, num_classes=3)(train_x, train_y, query)
    for m in range(6):
        order = sorted(range(30), key=lambda i: float((train_x[i] - query[m]).norm()))[:5]
        votes = [sum(int(train_y[i]) == c for i in order) for c in range(3)]
        assert int(out["predictions"][m]) == max(range(3), key=lambda c: (votes[c], -c)), f"query {m}"
        assert sorted(out["neighbors"][m].tolist()) == sorted(order), f"neighbours of query {m}"


def test_reinforce_returns_and_loss_follow_williams():
    rewards = torch.tensor([[1.0, 0.0, 2.0]])
    assert torch.allclose(discounted_returns(rewards, 0.5), torch.tensor([[1.5, 1.0, 2.0]])), "G_t"
    model = registry.get("REINFORCE").build(state_dim=3, baseline=False).double()
    s, a, r = _randn(2, 3, 3), torch.randint(0, 2, (2, 3), generator=g), _randn(2, 3)
    out = model(s, a, r)
    expected = -(out["returns"] * out["log_probs"]).sum(1).mean()
    assert torch.isclose(out["loss"], expected), "L ≠ −mean Σ G_t log π"


def test_dtw_equals_brute_force_over_monotone_paths_on_a_tiny_case():
    x, y = _randn(4, 1), _randn(3, 1)
    out = registry.get("DTW").build()(x, y)
    d = torch.cdist(x, y)

    def best(i, j):
        if i == 0 and j == 0:
            return float(d[0, 0])
        options = [best(a, b) for a, b in ((i - 1, j), (i, j - 1), (i - 1, j - 1)) if a >= 0 and b >= 0]
        return float(d[i, j]) + min(options)

    assert math.isclose(float(out["distance"]), best(3, 2), rel_tol=1e-9), "DTW distance"
    path = [tuple(p) for p in out["path"].tolist() if p[0] >= 0]
    assert path[0] == (0, 0) and path[-1] == (3, 2), f"path {path} does not span both sequences"
    assert all(0 <= b[0] - a[0] <= 1 and 0 <= b[1] - a[1] <= 1 for a, b in itertools.pairwise(path)), (
        "not monotone"
    )


def test_smote_points_lie_between_a_minority_sample_and_one_of_its_neighbours():
    minority = _randn(10, 3)
    out = registry.get("SMOTE").build(n_synthetic=20, k=3)(minority)
    d = torch.cdist(minority, minority).fill_diagonal_(float("inf"))
    knn = d.topk(3, largest=False).indices
    for s in range(20):
        i, j, lam = int(out["sources"][s]), int(out["neighbors"][s]), float(out["gaps"][s])
        assert j in knn[i].tolist(), f"synthetic {s}: {j} is not among {i}'s 3 nearest"
        assert torch.allclose(out["synthetic"][s], minority[i] + lam * (minority[j] - minority[i])), (
            f"synthetic {s}"
        )
        assert 0 <= lam <= 1, "gap outside [0, 1]"


def test_deep_ensemble_mixture_moments():
    model = registry.get("Deep Ensembles").build(in_features=2, members=3).double()
    out = model(_randn(5, 2), _randn(5))
    means = out["member_means"]
    assert torch.allclose(out["mean"], means.mean(0)), "μ* ≠ mean μ_m"
    assert (out["variance"] >= means.var(0, unbiased=False) - 1e-9).all(), (
        "σ*² below the members' disagreement"
    )


def test_randomized_smoothing_radius_is_sigma_times_the_gaussian_quantile():
    model = registry.get("Randomized Smoothing").build(in_features=2, sigma=0.3, samples=400)
    out = model(torch.randn(3, 2, generator=g))
    p = out["counts"].max(1).values / 400
    expected = (0.3 * torch.distributions.Normal(0, 1).icdf(p.clamp(max=1 - 0.5 / 400))).clamp(min=0)
    assert torch.allclose(out["radius"], expected, atol=1e-5), "R ≠ σ Φ⁻¹(p_A)"
    assert (out["counts"].sum(1) == 400).all(), "votes do not add up to n"


def test_double_q_learning_avoids_the_maximization_bias():
    for seed in range(3):
        out = registry.get("Double Q-learning").build(episodes=300, seed=seed)(torch.full((10,), -0.1))
        double, single = float(out["left_share_double"][-1]), float(out["left_share_single"][-1])
        assert double < single, f"seed {seed}: left share {double} (double) vs {single} (Q-learning)"


def test_td3_and_its_parts_use_the_smaller_critic_and_clipped_noise():
    td3 = registry.get("TD3").build(state_dim=3, action_dim=2, policy_noise=1.0, noise_clip=0.1)
    s, a, r, ns = _randn(6, 3).float(), torch.rand(6, 2, generator=g), _randn(6).float(), _randn(6, 3).float()
    d = torch.zeros(6, dtype=torch.bool)
    out = td3(s, a, r, ns, d)
    smoothed = out["smoothed_actions"]
    assert ((smoothed - torch.tanh(td3.actor_target(ns))).abs() <= 0.1 + 1e-6).all(), "noise beyond the clip"
    pair = torch.cat([ns, smoothed], 1)
    q = torch.minimum(td3.critic_targets[0](pair), td3.critic_targets[1](pair)).squeeze(1)
    assert torch.allclose(out["targets"], r + 0.99 * q), "y ≠ r + γ min(Q'_1, Q'_2)"
    clipped = registry.get("Clipped Double Q-learning").build(gamma=0.5)
    q1, q2 = torch.tensor([1.0, 3.0]), torch.tensor([2.0, 0.0])
    got = clipped(torch.zeros(2), q1, q2, torch.tensor([False, True]))
    assert got["targets"].tolist() == [0.5, 0.0], f"clipped targets {got['targets'].tolist()}"
    noise = registry.get("Target Policy Smoothing").build(sigma=5.0, noise_clip=0.2, max_action=1.0)(
        torch.zeros(50, 2)
    )
    assert noise["noise"].abs().max() <= 0.2 and noise["smoothed"].abs().max() <= 1.0, (
        "noise or action unclipped"
    )


def test_prioritized_replay_probabilities_and_weights():
    td = torch.tensor([0.0, 1.0, 2.0, 4.0], dtype=torch.float64)
    out = registry.get("Prioritized Experience Replay").build(
        alpha=0.5, beta=1.0, epsilon=1e-6, batch_size=4000
    )(td)
    p = (td.abs() + 1e-6) ** 0.5
    assert torch.allclose(out["probabilities"], p / p.sum()), "P(i) ≠ p_i^α / Σ p_k^α"
    freq = out["indices"].bincount(minlength=4).double() / 4000
    assert (freq - out["probabilities"]).abs().max() < 0.03, f"sampling frequencies {freq.tolist()}"
    w = (4 * out["probabilities"]) ** -1.0
    assert torch.allclose(out["weights"], (w / w.max())[out["indices"]]), "w_i ≠ (N P(i))^(−β) / max w"


def test_soft_actor_critic_log_probability_and_soft_target():
    sac = registry.get("Soft Actor Critic").build(state_dim=3, action_dim=2, alpha=0.5).double()
    s, noise = _randn(4, 3), _randn(4, 2)
    actions, log_prob = sac.sample(s, noise)
    mean, log_std = sac.actor(s).chunk(2, dim=-1)
    squashed = torch.distributions.TransformedDistribution(
        torch.distributions.Normal(mean, log_std.exp()), [torch.distributions.TanhTransform()]
    )
    assert torch.allclose(log_prob, squashed.log_prob(actions).sum(-1), atol=1e-6), "tanh-corrected log π"
    a, r, ns, d = (
        torch.rand(4, 2, generator=g).double(),
        _randn(4),
        _randn(4, 3),
        torch.zeros(4, dtype=torch.bool),
    )
    out = sac(s, a, r, ns, d)
    generator = torch.Generator().manual_seed(0)
    eps = torch.randn(2, 4, 2, generator=generator).double()
    next_a, next_lp = sac.sample(ns, eps[0])
    expected = r + 0.99 * (sac.q(sac.critic_targets, ns, next_a) - 0.5 * next_lp)
    assert torch.allclose(out["targets"], expected), "y ≠ r + γ(min Q̄ − α log π)"
    tuned = registry.get("Soft Actor-Critic (Autotuned Temperature)").build()
    assert tuned.log_alpha.requires_grad and not sac.log_alpha.requires_grad, (
        "autotune does not decide α's gradient"
    )
