"""Models and procedures among the most-used methods against their papers' equations and invariants:
residual attention, Gaussian targets, masked reconstruction, splatting, spikes, causal language
models, masking rates, pointer tours, retrieval marginals, contrastive logits, evolution, ELBOs,
balanced queries, greedy policies, noise transition estimates and run lengths."""

import itertools
import math

import torch

from methods import registry
from methods.impl.heatmap_regression import decode, gaussian_heatmaps

g = torch.Generator().manual_seed(3)


def _randn(*shape):
    return torch.randn(*shape, generator=g)


def test_ran_output_is_one_plus_mask_times_trunk():
    module = registry.get("RAN").build(channels=4)
    x = _randn(2, 4, 8, 8)
    out = module(x)
    assert torch.allclose(out["output"], (1 + out["mask"]) * module.trunk(x)), "H ≠ (1 + M) · T"
    assert ((out["mask"] > 0) & (out["mask"] < 1)).all(), "the mask is not a sigmoid"


def test_speed_depth_is_in_unit_range_at_half_resolution():
    depth = registry.get("SPEED").build(width=8)(_randn(2, 3, 32, 48))
    assert depth.shape == (2, 1, 16, 24), f"depth shape {tuple(depth.shape)}"
    assert ((depth > 0) & (depth < 1)).all(), "depth outside (0, 1)"


def test_heatmap_targets_peak_at_the_keypoints_and_decode_back():
    keypoints = torch.tensor([[[3.0, 7.0], [10.0, 2.0]]])
    targets = gaussian_heatmaps(keypoints, 12, 16, 1.0)
    assert targets[0, 0, 7, 3] == 1.0 and targets[0, 1, 2, 10] == 1.0, "the Gaussian does not peak at (x, y)"
    assert math.isclose(float(targets[0, 0, 7, 4]), math.exp(-0.5), rel_tol=1e-6), "σ = 1 one pixel away"
    assert decode(targets)[0].tolist() == [[3, 7], [10, 2]], "arg-max decoding"


def test_inpainting_loss_ignores_the_context_and_the_encoder_never_sees_the_hole():
    module = registry.get("Inpainting").build(width=4).eval()
    image = _randn(1, 3, 16, 16)
    out = module(image)
    changed = image.clone()
    changed[..., 4:12, 4:12] += 5.0  # inside the hole: the prediction must not change
    assert torch.equal(module(changed)["reconstruction"], out["reconstruction"]), "the encoder saw the hole"
    masked = (out["mask"] * (image - out["reconstruction"])).square().sum()
    assert torch.isclose(out["loss"], masked), "L_rec is not the masked squared error"
    assert out["mask"].sum() == 64, "the central mask is not half of each side"


def test_sam_masks_follow_the_prompts_and_the_decoder_is_prompt_order_invariant():
    model = registry.get("SAM").build().eval()
    image, points, labels = _randn(1, 3, 64, 64), torch.rand(1, 3, 2, generator=g), torch.tensor([[1, 0, 1]])
    out = model(image, points, labels)
    swapped = model(image, points[:, [2, 1, 0]], labels[:, [2, 1, 0]])
    assert torch.allclose(out["masks"], swapped["masks"], atol=1e-5), "prompt order changed the masks"
    moved = model(image, torch.rand(1, 3, 2, generator=g), labels)
    assert not torch.allclose(out["masks"], moved["masks"]), "the masks ignore the prompts"


def test_gaussian_splatting_composites_front_to_back():
    model = registry.get("3d gaussian splatting").build(num_gaussians=2, height=9, width=9, focal=10.0)
    with torch.no_grad():
        model.opacity_logits.fill_(10.0)  # opaque: the nearer Gaussian hides the farther
        model.colours.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    points = torch.tensor([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]])  # the second is nearer the camera
    out = model(points)
    centre = out["image"][:, 4, 4]
    assert out["depth_order"].tolist() == [1, 0], "Gaussians are not sorted by depth"
    assert centre[2] > 0.9 and centre[0] < 0.05, (
        f"the nearer (blue) Gaussian does not cover the centre: {centre}"
    )
    assert (out["alpha"] <= 1 + 1e-6).all(), "accumulated opacity exceeds one"


def test_linear_autoencoder_loss_is_the_reconstruction_error():
    model = registry.get("AE").build(in_features=6, hidden=4, code_dim=2)
    x = _randn(5, 6)
    out = model(x)
    assert torch.isclose(out["loss"], ((x - model.decoder(model.encoder(x))) ** 2).sum(1).mean()), "loss"


def test_snn_neurons_integrate_leak_fire_and_reset():
    model = registry.get("SNN").build(in_features=1, hidden=1, num_classes=1, beta=0.5, threshold=1.0)
    with torch.no_grad():
        for layer in (model.fc1, model.fc2):
            layer.weight.fill_(1.0)
            layer.bias.zero_()
    u, s, us, ss = torch.zeros(1), torch.zeros(1), [], []
    for _ in range(4):
        u, s = model.lif(u, torch.full((1,), 0.6), s)
        us.append(float(u))
        ss.append(float(s))
    # U: 0.6, 0.9, 1.05 (fires), 0.5·1.05 + 0.6 − 1 = 0.125
    assert [round(v, 4) for v in us] == [0.6, 0.9, 1.05, 0.125], f"membrane {us}"
    assert ss == [0.0, 0.0, 1.0, 0.0], f"spikes {ss}"
    v = torch.tensor([0.2], requires_grad=True)
    from methods.impl.spiking_neural_network import SpikeFunction

    SpikeFunction.apply(v, 25.0).sum().backward()
    assert math.isclose(float(v.grad), 1 / (1 + 25 * 0.2) ** 2, rel_tol=1e-6), "surrogate gradient"


def test_opt_is_causal_and_ties_its_output_to_the_embeddings():
    model = registry.get("OPT").build(vocab_size=50, dim=16, heads=2).eval()
    tokens = torch.randint(0, 50, (1, 8), generator=g)
    changed = tokens.clone()
    changed[0, 5] = (changed[0, 5] + 1) % 50
    a, b = model(tokens)["logits"], model(changed)["logits"]
    assert torch.allclose(a[:, :5], b[:, :5], atol=1e-6), "position < 5 saw token 5"
    assert model.positions.num_embeddings == 128 + 2, "the learned positions are not offset by 2"


def test_mbert_masks_about_fifteen_percent_and_scores_only_masked_positions():
    model = registry.get("mBERT").build(vocab_size=100, dim=16, heads=2)
    tokens = torch.randint(2, 100, (8, 100), generator=g)
    corrupted, chosen = model.mask_tokens(tokens)
    rate = float(chosen.float().mean())
    assert 0.12 < rate < 0.18, f"masking rate {rate}"
    replaced = (corrupted == 1)[chosen].float().mean()
    assert 0.7 < float(replaced) < 0.9, f"[MASK] share {float(replaced)}"
    assert torch.equal(corrupted[~chosen], tokens[~chosen]), "an unchosen token was changed"


def test_non_fm_term_equals_the_pairwise_inner_products():
    model = registry.get("NON").build(num_fields=4, field_vocab=5)
    fields = torch.randint(0, 5, (3, 4), generator=g)
    fe = model(fields)["field_outputs"]
    fm = 0.5 * (fe.sum(1) ** 2 - (fe**2).sum(1))
    pairwise = sum(fe[:, i] * fe[:, j] for i, j in itertools.combinations(range(4), 2))
    assert torch.allclose(fm, pairwise, atol=1e-5), "Bi-Interaction ≠ Σ_{i<j} e_i ⊙ e_j"


def test_attention_model_tours_are_permutations_with_their_length():
    model = registry.get("AM").build().eval()
    coordinates = torch.rand(3, 7, 2, generator=g)
    out = model(coordinates)
    for b in range(3):
        assert sorted(out["tour"][b].tolist()) == list(range(7)), f"tour {b} is not a permutation"
        path = coordinates[b, out["tour"][b]]
        length = sum(float((path[i] - path[(i + 1) % 7]).norm()) for i in range(7))
        assert math.isclose(float(out["length"][b]), length, rel_tol=1e-5), "tour length"
    assert (out["log_likelihood"] <= 0).all(), "a log-likelihood above zero"


def test_rag_retrieves_the_highest_inner_products_and_marginalizes():
    model = registry.get("RAG").build(vocab_size=40, dim=8, top_k=2)
    query, docs, target = (torch.randint(0, 40, s, generator=g) for s in [(1, 4), (6, 5), (1, 3)])
    out = model(query, docs, target)
    q = model.query_encoder(model.embedding(query).mean(1))
    d = model.doc_encoder(model.embedding(docs).mean(1))
    assert set(out["retrieved"][0].tolist()) == set((q @ d.T)[0].topk(2).indices.tolist()), (
        "not the top-2 MIPS"
    )
    # the marginal lies between the two documents' conditional likelihoods
    lo, _hi = [], []
    for z in out["retrieved"][0].tolist():
        fixed = torch.zeros(6, 5, dtype=torch.long) + docs[z]
        lo.append(float(model(query, fixed, target)["log_likelihood"]))
    assert min(lo) - 1e-5 <= float(out["log_likelihood"]) <= max(lo) + 1e-5, "not a mixture of the two"


def test_align_logits_are_cosines_over_the_temperature():
    model = registry.get("ALIGN").build(vocab_size=30, dim=8, temperature=0.05)
    images, texts = _randn(3, 3, 16, 16), torch.randint(0, 30, (3, 4), generator=g)
    out = model(images, texts)
    assert out["logits"].abs().max() <= 1 / 0.05 + 1e-4, "a logit beyond 1/σ: embeddings are not unit norm"
    labels = torch.arange(3)
    expected = torch.nn.functional.cross_entropy(out["logits"], labels) + torch.nn.functional.cross_entropy(
        out["logits"].T, labels
    )
    assert torch.isclose(out["loss"], expected), "L ≠ L_i2t + L_t2i"


def test_genetic_algorithm_is_elitist_and_approaches_the_optimum():
    optimum = torch.tensor([1.0, -2.0, 0.5])
    out = registry.get("GA").build(population=64, generations=60)(optimum)
    fitness = out["best_fitness"]
    assert (fitness[1:] <= fitness[:-1] + 1e-6).all(), "the best fitness rose: elitism broken"
    assert float(fitness[-1]) < 0.5 * float(fitness[0]), (
        f"no progress: {float(fitness[0])} -> {float(fitness[-1])}"
    )


def test_variational_inference_kl_is_the_gaussian_closed_form_and_the_elbo_bounds_the_evidence():
    model = (
        registry.get("Variational Inference")
        .build(in_features=2, noise_std=0.5, prior_precision=2.0, samples=1000)
        .double()
    )
    with torch.no_grad():
        model.mean.copy_(torch.tensor([0.3, -0.2]))
    x, y = _randn(20, 2).double(), _randn(20).double()
    out = model(x, y)
    q = torch.distributions.Normal(model.mean, model.log_std.exp())
    p = torch.distributions.Normal(
        torch.zeros(2, dtype=torch.float64), torch.full((2,), 0.5**0.5, dtype=torch.float64)
    )
    assert torch.isclose(out["kl"], torch.distributions.kl_divergence(q, p).sum()), "KL differs from torch"
    cov = 0.25 * torch.eye(20, dtype=torch.float64) + x @ x.T / 2.0
    evidence = torch.distributions.MultivariateNormal(torch.zeros(20, dtype=torch.float64), cov).log_prob(y)
    assert out["elbo"] <= evidence, "the ELBO exceeds log p(D)"


def test_base_queries_are_balanced_and_nearest_each_boundary():
    logits = _randn(40, 4)
    out = registry.get("BASE").build(budget=8)(logits)
    assert out["query_class"].bincount(minlength=4).tolist() == [2, 2, 2, 2], "queries are not balanced"
    assert out["selected"].unique().numel() == 8, "an example was queried twice"
    others = torch.stack(
        [torch.cat([logits[:, :c], logits[:, c + 1 :]], 1).max(1).values for c in range(4)], 1
    )
    assert torch.allclose(out["margins"], (logits - others).abs()), "d_c(x) = |f_c − max_{j≠c} f_j|"
    first = out["selected"][0]
    assert out["margins"][first, 0] == out["margins"][:, 0].min(), "class 0's first query is not the nearest"


def test_gps_first_pick_is_the_best_single_candidate():
    logits = _randn(5, 30, 4) * torch.tensor([0.5, 2.0, 1.0, 3.0, 1.5])[:, None, None]
    labels = torch.randint(0, 4, (30,), generator=g)
    out = registry.get("GPS").build(policy_size=3)(logits, labels)
    t = out["temperatures"]
    single = [float((logits[a] / t[a]).log_softmax(-1)[torch.arange(30), labels].mean()) for a in range(5)]
    assert int(out["policy"][0]) == max(range(5), key=lambda a: single[a]), "first pick is not the best alone"
    assert math.isclose(float(out["log_likelihood"][0]), max(single), rel_tol=1e-5), "first log-likelihood"


def test_hoc_recovers_a_known_transition_matrix_from_clusterable_features():
    n, c = 600, 3
    y = torch.arange(n) % c
    x = (torch.randn(c, 4, generator=g) * 6)[y] + 0.5 * torch.randn(n, 4, generator=g)
    t = torch.tensor([[0.8, 0.1, 0.1], [0.15, 0.7, 0.15], [0.05, 0.15, 0.8]])
    noisy = torch.multinomial(t[y], 1, generator=g)[:, 0]
    out = registry.get("HOC").build(num_classes=3)(x, noisy)
    assert (out["transition"] - t).abs().max() < 0.08, f"T estimated as {out['transition']}"
    assert (out["prior"] - 1 / 3).abs().max() < 0.08, f"prior {out['prior']}"


def test_ts_counts_runs_of_each_pixel():
    video = torch.tensor([0.1, 0.1, 0.9, 0.9, 0.9, 0.1])[:, None, None].repeat(1, 1, 2)
    video[:, 0, 1] = 0.5
    out = registry.get("TS").build(levels=4)(video)
    assert out["runs"][0].tolist() == [3, 1], f"runs {out['runs'][0].tolist()}"
    assert out["longest_run"][0].tolist() == [3, 6], f"longest {out['longest_run'][0].tolist()}"
    assert torch.allclose(out["stability"][0], torch.tensor([1 / 3, 1.0])), "stability = 1 / R"


def test_focus_is_causal_and_its_filters_follow_the_recurrence_with_stable_poles():
    module = registry.get("Focus").build(dim=8, heads=2, chunk=4).eval()
    x = _randn(1, 12, 8)
    out = module(x)
    changed = x.clone()
    changed[0, 6] += 1.0
    later = module(changed)
    assert torch.allclose(out["output"][:, :6], later["output"][:, :6], atol=1e-6), (
        "a step before 6 saw step 6"
    )
    assert not torch.allclose(out["output"][:, 6:], later["output"][:, 6:]), "step 6 changed nothing"
    assert (out["poles"] < 1).all(), "a pole on or outside the unit circle"
    r = out["poles"][0, 0]
    _, angle, gain = module.first.chunk(3)
    y = out["filtered"][0]
    a1, a2, b0 = 2 * r * torch.cos(angle), -(r**2), 1 + gain
    expected = b0 * x[0, 2] + a1 * y[1] + a2 * y[0]
    assert torch.allclose(y[2], expected, atol=1e-6), "y_t ≠ b0 x_t + a1 y_{t−1} + a2 y_{t−2}"
