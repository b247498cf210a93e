"""RotatE against a per-element loop over Python complex numbers written from the paper's equations."""

import cmath
import math

import torch

from methods import registry


def _naive(model, head, relation, tail, negative_tail):
    """d_r(h, t) = sum_j |h_j e^{i theta_j} - t_j| and the self-adversarial loss, one element at a time."""
    entity, phase = model.entity.detach().double().tolist(), model.phase.detach().double().tolist()

    def distance(h, r, t):
        return sum(
            abs(complex(*entity[h][j]) * cmath.exp(1j * phase[r][j]) - complex(*entity[t][j]))
            for j in range(len(phase[r]))
        )

    def log_sigmoid(z):
        return -math.log1p(math.exp(-z))

    gamma, alpha = model.gamma, model.adversarial_temperature
    scores, negatives, losses = [], [], []
    for b in range(len(head)):
        h, r, t = int(head[b]), int(relation[b]), int(tail[b])
        score = gamma - distance(h, r, t)
        neg = [gamma - distance(h, r, int(n)) for n in negative_tail[b]]
        top = max(alpha * s for s in neg)
        weights = [math.exp(alpha * s - top) for s in neg]
        weights = [w / sum(weights) for w in weights]
        # L = -log sigma(gamma - d) - sum_i p_i log sigma(d'_i - gamma)
        loss = -log_sigmoid(score) - sum(p * log_sigmoid(-s) for p, s in zip(weights, neg, strict=True))
        scores.append(score)
        negatives.append(neg)
        losses.append(loss)
    return scores, negatives, sum(losses) / len(losses)


def test_rotate_matches_python_complex_loop(device):
    """Reference: cmath / Python complex per element, the paper's d_r and self-adversarial loss."""
    torch.manual_seed(0)
    entry = registry.get("RotatE")
    model = entry.build(num_entities=20, num_relations=4, dim=6, gamma=3.0, adversarial_temperature=0.5)
    inputs = entry.example_inputs(params={"num_entities": 20, "num_relations": 4, "dim": 6}, seed=1)
    model = model.double().to(device)
    out = model(**{k: v.to(device) for k, v in inputs.items()})
    scores, negatives, loss = _naive(model, *inputs.values())
    assert torch.allclose(out["score"].cpu(), torch.tensor(scores, dtype=torch.float64), atol=1e-10), "score"
    assert torch.allclose(
        out["negative_score"].cpu(), torch.tensor(negatives, dtype=torch.float64), atol=1e-10
    ), "negative_score differs from the complex loop"
    assert abs(out["loss"].item() - loss) < 1e-10, f"loss {out['loss'].item()} != {loss}"


def test_rotate_relation_patterns(device):
    """Properties from the paper: theta = 0 maps h to itself; inversion d_r(h, t) = d_{-r}(t, h);
    composition: rotating by theta_1 then theta_2 is rotating by theta_1 + theta_2."""
    torch.manual_seed(0)
    model = registry.get("rotate").build(num_entities=10, num_relations=4, dim=5).double().to(device)
    with torch.no_grad():
        model.phase[0] = 0.0
        model.phase[2] = -model.phase[1]
        model.phase[3] = model.phase[1] + torch.linspace(0.1, 0.9, 5, dtype=torch.float64, device=device)
        # t = h ∘ r_1 exactly, then u = t ∘ e^{i linspace}: so u = h ∘ r_3
        h = torch.view_as_complex(model.entity[0].clone())
        model.entity[1] = torch.view_as_real(h * torch.polar(torch.ones_like(model.phase[1]), model.phase[1]))
        t = torch.view_as_complex(model.entity[1].clone())
        step = torch.polar(torch.ones(5, dtype=torch.float64, device=device), model.phase[3] - model.phase[1])
        model.entity[2] = torch.view_as_real(t * step)
    idx = torch.tensor
    d = model.distance
    assert d(idx([3], device=device), idx([0], device=device), idx([[3]], device=device)).item() < 1e-12, (
        "the identity rotation does not map h to itself"
    )
    for h_, t_ in ((3, 7), (5, 2)):
        forward = d(idx([h_], device=device), idx([1], device=device), idx([[t_]], device=device))
        inverse = d(idx([t_], device=device), idx([2], device=device), idx([[h_]], device=device))
        assert torch.allclose(forward, inverse, atol=1e-12), "d_r(h, t) != d_{-r}(t, h)"
    assert d(idx([0], device=device), idx([1], device=device), idx([[1]], device=device)).item() < 1e-12, (
        "t = h ∘ r_1 is not at distance 0"
    )
    assert d(idx([0], device=device), idx([3], device=device), idx([[2]], device=device)).item() < 1e-12, (
        "composition h ∘ r_1 ∘ r' is not reached by the summed phase"
    )


def test_self_adversarial_weights_get_no_gradient(device):
    """Property (paper): p(h, r, t'_i) is a constant in the gradient; the loss's gradient equals that of the
    same loss with the weights precomputed and frozen."""
    torch.manual_seed(0)
    entry = registry.get("rotate")
    model = entry.build(dim=4).double().to(device)
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=2).items()}
    out = model(**inputs)
    neg = out["negative_score"]
    weights = torch.softmax(neg.detach(), dim=-1)
    surrogate = (
        -torch.nn.functional.logsigmoid(out["score"])
        - (weights * torch.nn.functional.logsigmoid(-neg)).sum(-1)
    ).mean()
    g_model = torch.autograd.grad(out["loss"], model.entity, retain_graph=True)[0]
    g_surrogate = torch.autograd.grad(surrogate, model.entity)[0]
    assert torch.allclose(g_model, g_surrogate, atol=1e-12), "gradient flows through the adversarial weights"
