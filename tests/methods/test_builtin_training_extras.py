"""Early stopping, LARS, extra losses, attention bands, dropouts and augmentations against loops and invariants."""

import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry


@pytest.fixture(autouse=True)
def _fixed_seed():
    """Modules are built with random weights: the same ones on every run."""
    torch.manual_seed(0)


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_early_stopping_waits_patience_evaluations():
    losses = torch.tensor([1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.69, 0.7, 0.71, 0.73, 0.74, 0.8])
    out = registry.get("early-stopping").build(patience=3, min_delta=0.0)(val_losses=losses)
    # best 0.7 at 2, three misses (3, 4, 5) stop at 5 before the later 0.69 is seen
    assert int(out["stop_step"]) == 5 and int(out["best_step"]) == 2, f"stopped at {out['stop_step']}"
    assert out["stopped"].tolist() == [False] * 6 + [True] * 6, "epochs after the stop are marked"
    out = registry.get("early-stopping").build(patience=5, min_delta=0.0)(val_losses=losses)
    assert int(out["best_step"]) == 6 and int(out["stop_step"]) == 11, (
        "more patience reaches the later minimum"
    )
    out = registry.get("early-stopping").build(patience=3, min_delta=0.15)(val_losses=losses)
    assert int(out["best_step"]) == 1, "improvements under min_delta do not count"


def test_lars_step_matches_its_equations():
    g = _gen()
    w, grad = (
        torch.randn(5, generator=g, dtype=torch.float64),
        torch.randn(5, generator=g, dtype=torch.float64),
    )
    p = torch.nn.Parameter(w.clone())
    optimizer = registry.get("lars").build(
        [p], lr=0.5, momentum=0.9, weight_decay=0.01, trust_coefficient=0.001
    )
    theta, v = w.clone(), torch.zeros(5, dtype=torch.float64)
    for step in range(2):
        p.grad = grad.clone()
        optimizer.step()
        local = 0.001 * theta.norm() / (grad.norm() + 0.01 * theta.norm())
        v = 0.9 * v + 0.5 * local * (grad + 0.01 * theta)
        theta = theta - v
        assert torch.allclose(p.detach(), theta), f"LARS step {step}"


def test_dice_and_supervised_contrastive_losses():
    targets = torch.zeros(1, 1, 4, 4)
    targets[..., :2, :] = 1
    perfect = registry.get("dice-loss").build(smooth=0.0)(logits=(targets * 2 - 1) * 50, targets=targets)
    assert float(perfect["loss"]) < 1e-6, "a perfect mask has Dice 1"
    logits = torch.randn(2, 2, 4, 4, generator=_gen())
    masks = (torch.rand(2, 2, 4, 4, generator=_gen(1)) < 0.4).float()
    out = registry.get("dice-loss").build(smooth=1.0)(logits=logits, targets=masks)
    p = torch.sigmoid(logits)
    for c in range(2):
        want = (2 * (p[:, c] * masks[:, c]).sum() + 1) / (p[:, c].sum() + masks[:, c].sum() + 1)
        assert torch.allclose(out["dice"][c], want), f"Dice of class {c}"
    features = torch.randn(6, 4, generator=_gen(2), dtype=torch.float64)
    labels = torch.tensor([0, 0, 1, 1, 1, 2])
    out = registry.get("supervised-contrastive-loss").build(temperature=0.5)(features=features, labels=labels)
    z = F.normalize(features, dim=1)
    terms = []
    for i in range(6):
        positives = [j for j in range(6) if j != i and labels[j] == labels[i]]
        if not positives:
            continue
        denominator = sum(math.exp(float(z[i] @ z[a]) / 0.5) for a in range(6) if a != i)
        terms.append(
            -sum(math.log(math.exp(float(z[i] @ z[p]) / 0.5) / denominator) for p in positives)
            / len(positives)
        )
    assert math.isclose(float(out["loss"]), sum(terms) / len(terms), rel_tol=1e-9), "SupCon L_out"
    assert out["positives"].tolist() == [1, 1, 2, 2, 2, 0], "|P(i)| per anchor"


def test_arcface_adds_the_margin_to_the_true_angle():
    module = registry.get("arcface").build(embedding_dim=4, num_classes=3, scale=2.0, margin=0.3)
    x = torch.randn(5, 4, generator=_gen())
    labels = torch.tensor([0, 1, 2, 0, 1])
    out = module(embeddings=x, labels=labels)
    cosine = (F.normalize(x) @ F.normalize(module.weight).t()).detach()
    theta = torch.acos(cosine.clamp(-1, 1)).detach()
    for i in range(5):
        for j in range(3):
            want = (
                math.cos(theta[i, j] + 0.3)
                if j == labels[i] and theta[i, j] + 0.3 < math.pi
                else cosine[i, j]
            )
            if j == labels[i] and theta[i, j] + 0.3 >= math.pi:
                want = cosine[i, j] - math.sin(math.pi - 0.3) * 0.3
            assert math.isclose(float(out["logits"][i, j].detach()), 2.0 * float(want), abs_tol=1e-4), (
                f"logit ({i}, {j})"
            )
    assert torch.allclose(out["loss"], F.cross_entropy(out["logits"], labels)), "cross-entropy of the logits"


def test_sliding_window_attention_sees_only_its_window():
    module = registry.get("sliding-window-attention").build(dim=8, num_heads=2, window=4, causal=False).eval()
    x = torch.randn(1, 12, 8, generator=_gen())
    base = module(x=x)["output"]
    for source, reaches in ((4, True), (8, True), (3, False), (9, False)):
        moved = x.clone()
        moved[0, source] += 5.0
        changed = not torch.allclose(module(x=moved)["output"][0, 6], base[0, 6], atol=1e-6)
        assert changed == reaches, f"position 6 {'should' if reaches else 'should not'} see position {source}"
    mask = module(x=x)["mask"]
    assert int(mask[6].sum()) == 5, "a window of 4 covers 2 on each side plus the token itself"


def test_channel_attention_module_uses_average_and_max():
    module = registry.get("channel-attention-module").build(channels=8, reduction=4).double()
    x = torch.randn(2, 8, 5, 5, generator=_gen(), dtype=torch.float64)
    want = torch.sigmoid(module.mlp(x.mean(dim=(2, 3))) + module.mlp(x.amax(dim=(2, 3))))
    out = module(x=x)
    assert torch.allclose(out["attention"], want), "M_c = σ(MLP(avg) + MLP(max))"
    assert torch.allclose(out["output"], x * want[:, :, None, None]), "F' = M_c ⊗ F"


def test_dropconnect_and_embedding_dropout():
    layer = registry.get("dropconnect").build(in_features=6, out_features=3, p=1.0)
    x = torch.randn(4, 6, generator=_gen())
    assert torch.allclose(layer(x=x)["output"], layer.linear(x)), "keep probability 1: a plain linear layer"
    layer = registry.get("dropconnect").build(in_features=200, out_features=50, p=0.5)
    torch.manual_seed(0)
    out = layer.train()(x=torch.randn(2, 200, generator=_gen(1)))
    assert ((out["kept"] > 0.45) & (out["kept"] < 0.55)).all(), f"about half the weights kept: {out['kept']}"
    assert torch.allclose(
        layer.eval()(x=x[:, :1].expand(4, 200))["output"], layer.linear(x[:, :1].expand(4, 200))
    ), "evaluation uses the mean network"
    emb = registry.get("embedding-dropout").build(num_embeddings=10, embedding_dim=4, p=0.5)
    tokens = torch.tensor([[1, 2, 1, 3, 1]])
    torch.manual_seed(2)
    out = emb.train()(tokens=tokens)
    for position, word in enumerate(tokens[0].tolist()):
        want = emb.embedding.weight[word] * 2 if out["kept_words"][word] else torch.zeros(4)
        assert torch.allclose(out["output"][0, position], want), (
            f"word {word} at {position}: whole rows dropped"
        )


def test_maxout_sparsemax_droppath_and_l1():
    maxout = registry.get("maxout").build(in_features=3, out_features=2, pieces=4).double()
    x = torch.randn(5, 3, generator=_gen(), dtype=torch.float64)
    z = x @ maxout.linear.weight.t() + maxout.linear.bias
    assert torch.allclose(maxout(x=x), z.view(5, 2, 4).amax(-1)), "h_i = max_j z_ij"
    scores = torch.tensor([[3.0, 1.0, 0.2], [0.1, 0.2, 0.3]])
    p = registry.get("sparsemax").build(dim=-1)(x=scores)
    assert torch.allclose(p[0], torch.tensor([1.0, 0.0, 0.0])), "a dominant score takes all the mass"
    # z = (0.1, 0.2, 0.3): all three in the support, τ = (0.6 − 1)/3, p = z − τ
    assert torch.allclose(p[1], scores[1] + 0.4 / 3), "close scores: p = z − τ with τ = (Σz − 1)/3"
    q = registry.get("sparsemax").build(dim=-1)(x=torch.randn(6, 7, generator=_gen(1)))
    assert torch.allclose(q.sum(-1), torch.ones(6)) and (q >= 0).all(), "sparsemax lies on the simplex"
    join = registry.get("droppath").build(drop_prob=0.9)
    paths = torch.randn(3, 50, 4, generator=_gen(2))
    torch.manual_seed(0)
    out = join.train()(paths=paths)
    assert out["kept"].any(dim=0).all(), "every example keeps at least one path"
    kept = out["kept"].float()[..., None]
    assert torch.allclose(out["output"], (paths * kept).sum(0) / kept.sum(0)), (
        "the join averages the kept paths"
    )
    assert torch.allclose(join.eval()(paths=paths)["output"], paths.mean(0)), "evaluation averages every path"
    w = torch.tensor([[1.0, -2.0], [0.0, 0.5]])
    out = registry.get("l1-regularization").build(strength=0.1)(weight=w)
    assert math.isclose(float(out["penalty"]), 0.35, rel_tol=1e-6), "λ Σ|w|"
    assert torch.equal(out["subgradient"], 0.1 * w.sign()), "λ sign(w)"


def test_wgan_gp_penalty_of_a_linear_critic():
    module = registry.get("wgan-gp-loss").build(channels=1, hidden=2, gp_weight=10.0)
    linear = torch.nn.Linear(16, 1)
    module.critic = torch.nn.Sequential(torch.nn.Flatten(), linear)
    real, fake = torch.randn(3, 1, 4, 4), torch.randn(3, 1, 4, 4)
    out = module(real=real, fake=fake)
    norm = linear.weight.norm()
    assert torch.allclose(out["gradient_norm"], norm.expand(3)), "∇D(x̂) of a linear critic is its weight"
    want = (linear(fake.flatten(1)).mean() - linear(real.flatten(1)).mean()) + 10 * (norm - 1) ** 2
    assert torch.allclose(out["critic"], want), "E D(x̃) − E D(x) + λ(‖∇D‖ − 1)²"


def test_flip_and_cutout():
    images = torch.rand(6, 3, 8, 8, generator=_gen())
    torch.manual_seed(0)
    out = registry.get("random-horizontal-flip").build(p=0.5)(images=images)
    for i in range(6):
        want = images[i].flip(-1) if out["flipped"][i] else images[i]
        assert torch.equal(out["images"][i], want), f"image {i}"
    assert torch.equal(
        registry.get("random-horizontal-flip").build(p=1.0)(images=images)["images"], images.flip(-1)
    ), "p = 1 flips every image"
    torch.manual_seed(1)
    out = registry.get("cutout").build(length=4, n_holes=1)(images=images)
    holes = (out["mask"] == 0).flatten(1).sum(1)
    assert ((holes > 0) & (holes <= 16)).all(), f"one square of at most 4×4 per image: {holes.tolist()}"
    assert torch.equal(out["images"], images * out["mask"]), "the square is zeroed, the rest kept"
