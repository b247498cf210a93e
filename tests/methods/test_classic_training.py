"""Reinforcement learning, training procedures and word representations against naive computations
from their papers' equations, brute-force optima and invariants."""

import itertools
import math

import pytest
import torch

from methods import registry
from methods.impl.ddpg import soft_update
from methods.impl.q_learning import chain_step
from methods.impl.simclr import nt_xent

g = torch.Generator().manual_seed(11)


def _randn(*shape):
    return torch.randn(*shape, generator=g)


def test_q_learning_converges_to_the_value_iteration_optimum():
    rewards = torch.tensor([0.0, -0.1, 0.0, 0.2, 0.0, 1.0], dtype=torch.float64)
    out = registry.get("Q-Learning").build(episodes=2000, alpha=0.3, gamma=0.9, epsilon=0.5)(rewards)
    s, q_star = 6, torch.zeros(6, 2, dtype=torch.float64)
    for _ in range(200):
        for state in range(s - 1):
            for action in range(2):
                nxt, done = chain_step(state, action, s)
                q_star[state, action] = rewards[nxt] + (0 if done else 0.9 * q_star[nxt].max())
    assert torch.allclose(out["q_values"][:-1], q_star[:-1], atol=1e-2), f"Q {out['q_values']} vs Q* {q_star}"
    assert torch.equal(out["policy"][:-1], q_star[:-1].argmax(1)), "the greedy policy is not optimal"


def test_dqn_target_is_the_frozen_networks_bootstrapped_max():
    dqn = registry.get("DQN").build(state_dim=3, num_actions=2, gamma=0.5)
    s, ns = _randn(4, 3), _randn(4, 3)
    a, r, d = torch.tensor([0, 1, 1, 0]), _randn(4), torch.tensor([False, True, False, False])
    with torch.no_grad():
        dqn.q_network[0].weight.add_(1.0)  # the online network moves; the target network must not
    out = dqn(s, a, r, ns, d)
    expected = r + 0.5 * (~d) * dqn.target_network(ns).max(1).values
    assert torch.allclose(out["targets"], expected), "y ≠ r + γ(1 − d) max Q(s', ·; θ⁻)"
    assert not torch.allclose(dqn.target_network(ns), dqn.q_network(ns)), "target network follows θ"
    chosen = dqn.q_network(s)[torch.arange(4), a]
    assert torch.isclose(out["loss"], torch.nn.functional.huber_loss(chosen, expected)), "Huber TD loss"
    dqn.update_target()
    assert torch.allclose(dqn.target_network(ns), dqn.q_network(ns)), "update_target did not copy θ"


def test_ppo_clipped_objective_matches_the_per_sample_formula():
    lp, old, adv = _randn(16) * 0.5, _randn(16) * 0.5, _randn(16)
    v, ret, ent = _randn(16), _randn(16), torch.rand(16, generator=g)
    out = registry.get("PPO").build(clip_epsilon=0.2, value_coef=0.5, entropy_coef=0.01)(
        lp, old, adv, v, ret, ent
    )
    terms = []
    for i in range(16):
        r = math.exp(lp[i] - old[i])
        terms.append(min(r * adv[i], min(max(r, 0.8), 1.2) * adv[i]))
    policy = -sum(terms) / 16
    assert math.isclose(float(out["policy_loss"]), float(policy), rel_tol=1e-5), "L^CLIP"
    total = policy + 0.5 * float(((v - ret) ** 2).mean()) - 0.01 * float(ent.mean())
    assert math.isclose(float(out["loss"]), float(total), rel_tol=1e-5), "Eq. 9 loss"
    clipped = sum(abs(math.exp(lp[i] - old[i]) - 1) > 0.2 for i in range(16)) / 16
    assert math.isclose(float(out["clip_fraction"]), clipped), "clip fraction"


def test_experience_replay_keeps_the_last_capacity_transitions_in_ring_order():
    transitions = torch.arange(50.0).unsqueeze(1).repeat(1, 3)
    out = registry.get("Experience Replay").build(capacity=20, batch_size=500)(transitions)
    memory = out["memory"][:, 0].tolist()
    # 50 writes into 20 slots: slot i holds the last transition t with t % 20 == i
    assert memory == [40 + i if 40 + i < 50 else 20 + i for i in range(20)], f"ring contents {memory}"
    assert int(out["size"]) == 20, "size is not the capacity once full"
    assert torch.equal(out["batch"], out["memory"][out["indices"]]), "batch rows are not the sampled slots"
    assert out["indices"].unique().numel() == 20, "500 uniform draws missed a slot"


def test_ddpg_target_and_losses_follow_algorithm_one():
    ddpg = registry.get("DDPG").build(state_dim=3, action_dim=2, gamma=0.9, tau=0.1, max_action=2.0)
    s, a, r, ns = _randn(5, 3), torch.rand(5, 2, generator=g), _randn(5), _randn(5, 3)
    d = torch.tensor([False, False, True, False, False])
    out = ddpg(s, a, r, ns, d)
    mu_next = 2.0 * torch.tanh(ddpg.actor_target(ns))
    y = r + 0.9 * (~d) * ddpg.critic_target(torch.cat([ns, mu_next], 1)).squeeze(1)
    assert torch.allclose(out["targets"], y), "y ≠ r + γ Q'(s', μ'(s'))"
    assert out["actor_actions"].abs().max() <= 2.0, "actions exceed the bound"
    actor_loss = -ddpg.critic(torch.cat([s, 2.0 * torch.tanh(ddpg.actor(s))], 1)).mean()
    assert torch.isclose(out["actor_loss"], actor_loss), "L_μ ≠ −mean Q(s, μ(s))"
    before = [p.clone() for p in ddpg.critic_target.parameters()]
    soft_update(ddpg.critic_target, ddpg.critic, 0.1)
    for b, t, src in zip(before, ddpg.critic_target.parameters(), ddpg.critic.parameters(), strict=True):
        assert torch.allclose(t, 0.1 * src + 0.9 * b), "θ' ≠ τθ + (1 − τ)θ'"


def test_knowledge_distillation_matches_hintons_formula():
    z, v, y = _randn(6, 5), _randn(6, 5), torch.randint(0, 5, (6,), generator=g)
    out = registry.get("Knowledge Distillation").build(temperature=3.0, alpha=0.7)(z, v, y)
    p, q = (v / 3).softmax(-1), (z / 3).softmax(-1)
    kl = (p * (p.log() - q.log())).sum(-1).mean() * 9
    ce = -z.log_softmax(-1)[torch.arange(6), y].mean()
    assert torch.isclose(out["loss"], 0.7 * kl + 0.3 * ce, atol=1e-6), "α T² KL + (1 − α) CE"


@pytest.mark.parametrize("criterion", ["filter_l1", "weight_magnitude"])
def test_pruning_removes_the_smallest_filters_or_weights(criterion):
    module = registry.get("Pruning").build(in_channels=4, out_channels=10, amount=0.3, criterion=criterion)
    out = module(_randn(1, 4, 8, 8))
    weight = module.conv.weight_orig.detach()
    mask = out["mask"]
    assert math.isclose(float(out["sparsity"]), 0.3, abs_tol=0.01), f"sparsity {float(out['sparsity'])}"
    if criterion == "filter_l1":
        norms = weight.abs().sum(dim=(1, 2, 3))
        pruned = mask.sum(dim=(1, 2, 3)) == 0
        assert pruned.sum() == 3, "not 30% of the 10 filters"
        assert norms[pruned].max() <= norms[~pruned].min(), "a pruned filter has a larger L1 norm"
    else:
        assert weight.abs()[mask == 0].max() <= weight.abs()[mask == 1].min(), "a larger weight was pruned"
    assert torch.equal(module.conv.weight, weight * mask), "the convolution does not use the masked weight"


def test_discriminative_fine_tuning_steps_each_layer_with_its_own_rate():
    module = registry.get("Discriminative Fine-Tuning").build(
        in_features=5, num_classes=3, num_layers=3, lr=0.2
    )
    x, y = _randn(8, 5), torch.randint(0, 3, (8,), generator=g)
    out = module(x, y)
    assert torch.allclose(out["layer_lrs"], torch.tensor([0.2 / 2.6**2, 0.2 / 2.6, 0.2])), (
        "η^{l−1} = η^l / 2.6"
    )
    loss = torch.nn.functional.cross_entropy(module.logits(module.layers, x), y)
    grads = torch.autograd.grad(loss, list(module.parameters()))
    per_layer = [
        torch.cat([grads[0].flatten(), grads[1].flatten()]),
        torch.cat([grads[2].flatten(), grads[3].flatten()]),
    ]
    per_layer.append(torch.cat([grads[4].flatten(), grads[5].flatten()]))
    expected = torch.stack([lr * gr.norm() for lr, gr in zip(out["layer_lrs"], per_layer, strict=True)])
    assert torch.allclose(out["update_norms"], expected), "‖Δθ^l‖ ≠ η^l ‖∇θ^l‖"
    assert out["loss_after"] < out["loss"], "the step did not lower the loss"


def test_maml_meta_gradient_matches_the_manual_second_order_computation():
    maml = registry.get("MAML").build(hidden=8, inner_lr=0.1).double()
    sx, sy, qx, qy = (t.double() for t in (_randn(2, 5, 1), _randn(2, 5), _randn(2, 7, 1), _randn(2, 7)))
    meta = maml(sx, sy, qx, qy)["meta_loss"]
    got = torch.autograd.grad(meta, list(maml.parameters()))
    params = list(maml.parameters())

    def f(ps, x):
        h = torch.relu(x @ ps[0].T + ps[1])
        h = torch.relu(h @ ps[2].T + ps[3])
        return (h @ ps[4].T + ps[5]).squeeze(-1)

    total = 0
    for t in range(2):
        inner = ((f(params, sx[t]) - sy[t]) ** 2).mean()
        grads = torch.autograd.grad(inner, params, create_graph=True)
        adapted = [p - 0.1 * gr for p, gr in zip(params, grads, strict=True)]
        total = total + ((f(adapted, qx[t]) - qy[t]) ** 2).mean() / 2
    expected = torch.autograd.grad(total, params)
    for a, b in zip(got, expected, strict=True):
        assert torch.allclose(a, b), "meta-gradient differs from the manual second-order one"
    first = registry.get("MAML").build(hidden=8, inner_lr=0.1, first_order=True).double()
    first.load_state_dict(maml.state_dict())
    fo = torch.autograd.grad(first(sx, sy, qx, qy)["meta_loss"], list(first.parameters()))
    assert not all(torch.allclose(a, b) for a, b in zip(fo, got, strict=True)), "first order equals second"


def test_contrastive_loss_matches_hadsell_et_al():
    module = registry.get("Contrastive Learning").build(in_features=4, margin=2.0)
    x1, x2, y = _randn(6, 4), _randn(6, 4), torch.tensor([0, 1, 0, 1, 1, 0])
    out = module(x1, x2, y)
    d = (module.encoder(x1) - module.encoder(x2)).norm(dim=1)
    expected = ((1 - y) * 0.5 * d**2 + y * 0.5 * (2.0 - d).clamp(min=0) ** 2).mean()
    assert torch.isclose(out["loss"], expected, atol=1e-6), "(1 − Y)½D² + Y½max(0, m − D)²"


def test_pseudo_labels_are_the_models_argmax_and_the_threshold_masks_them():
    module = registry.get("Self-Learning").build(in_features=4, num_classes=3)
    lx, ly, ux = _randn(5, 4), torch.randint(0, 3, (5,), generator=g), _randn(9, 4)
    out = module(lx, ly, ux)
    assert torch.equal(out["pseudo_labels"], module.model(ux).argmax(1)), "pseudo-labels are not argmax f(x')"
    module.threshold = 1.0
    strict = module(lx, ly, ux)
    assert strict["mask"].sum() == 0, "no prediction reaches confidence 1, yet some were kept"
    supervised = torch.nn.functional.cross_entropy(module.model(lx), ly)
    assert torch.isclose(strict["loss"], supervised), (
        "with every pseudo-label masked the loss is not supervised"
    )


def test_simclr_nt_xent_matches_a_loop_over_positive_pairs():
    z = _randn(6, 4)
    zn = torch.nn.functional.normalize(z, dim=1)
    total = 0.0
    for i in range(6):
        j = (i + 3) % 6
        denominator = sum(math.exp(float(zn[i] @ zn[k]) / 0.5) for k in range(6) if k != i)
        total += -math.log(math.exp(float(zn[i] @ zn[j]) / 0.5) / denominator)
    assert math.isclose(float(nt_xent(z, 0.5)), total / 6, rel_tol=1e-5), "NT-Xent"
    model = registry.get("SimCLR").build()
    out = model(_randn(4, 3, 16, 16), _randn(4, 3, 16, 16))
    assert torch.isclose(out["loss"], nt_xent(out["projections"], 0.5)), "SimCLR loss is not NT-Xent of z"


def test_glove_objective_matches_a_loop_over_nonzero_counts():
    module = registry.get("GloVe").build(vocab_size=5, dim=3, x_max=10.0)
    with torch.no_grad():
        module.word_bias.copy_(_randn(5))
        module.context_bias.copy_(_randn(5))
    x = torch.randint(0, 20, (5, 5), generator=g).float()
    module.requires_grad_(False)
    out = module(x)
    total = 0.0
    for i in range(5):
        for j in range(5):
            if x[i, j] > 0:
                f = min(1.0, (float(x[i, j]) / 10.0) ** 0.75)
                err = float(module.word[i] @ module.context[j] + module.word_bias[i] + module.context_bias[j])
                total += f * (err - math.log(float(x[i, j]))) ** 2
    assert math.isclose(float(out["loss"]), total, rel_tol=1e-5), "J of Eq. 8"


def test_fasttext_hashes_bigrams_and_averages_their_embeddings():
    module = registry.get("fastText").build(vocab_size=50, buckets=7, dim=4, num_classes=3)
    tokens = torch.tensor([[3, 9, 4]])
    out = module(tokens)
    expected = [3, 9, 4, 50 + (3 * 116049371 + 9) % 7, 50 + (9 * 116049371 + 4) % 7]
    assert out["features"][0].tolist() == expected, f"features {out['features'][0].tolist()}"
    h = module.embedding.weight[expected].mean(0)
    assert torch.allclose(out["logits"][0], module.classifier(h), atol=1e-6), "logits ≠ B mean(A x)"


def test_elmo_forward_lm_is_causal_and_the_mix_is_a_softmax():
    elmo = registry.get("ELMo").build(vocab_size=30, hidden=8)
    tokens = torch.randint(0, 30, (1, 6), generator=g)
    x = elmo.embedding(tokens)
    changed = tokens.clone()
    changed[0, 4] = (changed[0, 4] + 1) % 30
    a, b = elmo.run(elmo.forward_lm, x)[-1], elmo.run(elmo.forward_lm, elmo.embedding(changed))[-1]
    assert torch.allclose(a[:, :4], b[:, :4]), "the forward LM at k < 4 saw token 4"
    assert not torch.allclose(a[:, 4:], b[:, 4:]), "the forward LM ignored token 4"
    out = elmo(tokens)
    assert math.isclose(float(out["layer_weights"].sum()), 1.0, rel_tol=1e-6), "s is not a softmax"


def test_node2vec_walks_follow_edges_and_p_q_bias_returns():
    from methods.impl.node2vec import biased_walks

    n = 10
    a = torch.zeros(n, n, dtype=torch.long)
    for i in range(n):
        a[i, (i + 1) % n] = a[(i + 1) % n, i] = 1
    walks = registry.get("node2vec").build(num_nodes=n)(a)["walks"]
    for walk in walks.tolist():
        assert all(a[u, v] for u, v in itertools.pairwise(walk)), f"walk {walk} leaves the edges"

    def returns(p):
        w = biased_walks(a, 5, 12, p, 1.0, torch.Generator().manual_seed(0)).tolist()
        return sum(x[i] == x[i - 2] for x in w for i in range(2, len(x)))

    assert returns(0.05) > 2 * returns(20.0), "a small return parameter p does not make walks come back"


@pytest.mark.parametrize("name", ["Skip-gram Word2Vec", "CBoW Word2Vec"])
def test_word2vec_negative_sampling_loss_on_a_tiny_window(name):
    model = registry.get(name).build(vocab_size=6, dim=3, window=1, negatives=2)
    tokens = torch.tensor([[1, 2, 3]])
    out = model(tokens)
    counts = torch.bincount(tokens.flatten(), minlength=6).float() ** 0.75
    assert torch.allclose(out["noise_distribution"], counts / counts.sum()), "P_n ∝ U^(3/4)"
    generator = torch.Generator().manual_seed(0)
    v, w = model.input_vectors.weight, model.output_vectors.weight
    pairs = [(v[2], 1), (v[2], 3)] if name.startswith("Skip") else [((v[1] + v[3]) / 2, 2)]
    negatives = torch.multinomial(
        out["noise_distribution"], len(pairs) * 2, replacement=True, generator=generator
    ).reshape(len(pairs), 2)
    total = 0.0
    for (u, o), neg in zip(pairs, negatives, strict=True):
        total += -torch.nn.functional.logsigmoid(u @ w[o]) - sum(
            torch.nn.functional.logsigmoid(-(u @ w[k])) for k in neg
        )
    assert torch.isclose(out["loss"], total / len(pairs), atol=1e-6), "negative-sampling loss"
