"""Hand-written losses, regularizers and optimizers against naive computations from their papers."""

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


def test_focal_loss_follows_its_formula():
    g = _gen()
    logits = torch.randn(6, 4, generator=g, dtype=torch.float64)
    targets = (torch.rand(6, 4, generator=g) < 0.3).double()
    got = registry.get("focal-loss").build(alpha=0.25, gamma=2.0, reduction="none")(
        logits=logits, targets=targets
    )
    p = torch.sigmoid(logits)
    p_t = torch.where(targets == 1, p, 1 - p)
    alpha_t = torch.where(targets == 1, 0.25, 0.75)
    assert torch.allclose(got, -alpha_t * (1 - p_t) ** 2 * torch.log(p_t)), "FL = −α_t(1 − p_t)^γ log p_t"
    plain = registry.get("focal-loss").build(alpha=-1.0, gamma=0.0, reduction="mean")(
        logits=logits, targets=targets
    )
    assert torch.allclose(plain, F.binary_cross_entropy_with_logits(logits, targets)), (
        "γ = 0, no α: cross-entropy"
    )


def test_infonce_and_nt_xent_match_loops():
    g = _gen()
    q, k = (
        torch.randn(5, 3, generator=g, dtype=torch.float64),
        torch.randn(5, 3, generator=g, dtype=torch.float64),
    )
    got = registry.get("infonce").build(temperature=0.2, normalize=True)(query=q, key=k)["loss"]
    qn, kn = F.normalize(q, dim=1), F.normalize(k, dim=1)
    terms = [
        -math.log(math.exp(qn[i] @ kn[i] / 0.2) / sum(math.exp(qn[i] @ kn[j] / 0.2) for j in range(5)))
        for i in range(5)
    ]
    assert math.isclose(float(got), sum(terms) / 5, rel_tol=1e-9), "InfoNCE: −log f(x⁺, c)/Σ_j f(x_j, c)"
    got = registry.get("nt-xent").build(temperature=0.5)(z1=q, z2=k)["loss"]
    z = F.normalize(torch.cat([q, k]), dim=1)
    sim = lambda i, j: float(z[i] @ z[j]) / 0.5  # noqa: E731
    losses = []
    for i in range(10):
        j = (i + 5) % 10
        losses.append(-math.log(math.exp(sim(i, j)) / sum(math.exp(sim(i, m)) for m in range(10) if m != i)))
    assert math.isclose(float(got), sum(losses) / 10, rel_tol=1e-9), "NT-Xent: mean of ℓ(i, j) over 2N views"


def test_gan_losses_follow_their_formulas():
    real, fake = torch.tensor([0.5, 2.0, -1.0]), torch.tensor([-0.5, 0.3, 1.5])
    out = registry.get("gan-least-squares-loss").build(a=0.0, b=1.0, c=1.0)(
        real_scores=real, fake_scores=fake
    )
    want_d = 0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake**2).mean()
    assert torch.allclose(out["discriminator"], want_d), "LSGAN: ½E(D(x) − b)² + ½E(D(G(z)) − a)²"
    assert torch.allclose(out["generator"], 0.5 * ((fake - 1) ** 2).mean()), "LSGAN: ½E(D(G(z)) − c)²"
    out = registry.get("gan-hinge-loss").build(margin=1.0)(real_scores=real, fake_scores=fake)
    want_d = torch.tensor([0.5, 0.0, 2.0]).mean() + torch.tensor([0.5, 1.3, 2.5]).mean()
    assert torch.allclose(out["discriminator"], want_d), "hinge: E max(0, 1 − D(x)) + E max(0, 1 + D(G(z)))"
    assert torch.allclose(out["generator"], -fake.mean()), "hinge: −E D(G(z))"


def test_entropy_and_cycle_losses():
    module = registry.get("entropy-regularization").build(beta=0.1)
    out = module(logits=torch.zeros(3, 4))
    assert torch.allclose(out["entropy"], torch.full((3,), math.log(4))), "a uniform policy has entropy log A"
    assert torch.allclose(out["loss"], torch.tensor(-0.1 * math.log(4))), "the loss is −β·H"
    peaked = module(logits=torch.tensor([[50.0, 0.0, 0.0, 0.0]]))
    assert float(peaked["entropy"]) < 1e-6, "a deterministic policy has zero entropy"
    cycle = registry.get("cycle-consistency-loss").build(channels=3, hidden=4, weight=10.0)
    x, y = torch.rand(2, 3, 8, 8) * 2 - 1, torch.rand(2, 3, 8, 8) * 2 - 1
    out = cycle(x=x, y=y)
    assert torch.allclose(out["forward_cycle"], (cycle.f(cycle.g(x)) - x).abs().mean()), "‖F(G(x)) − x‖₁"
    assert torch.allclose(out["loss"], 10 * (out["forward_cycle"] + out["backward_cycle"])), (
        "λ(forward + backward)"
    )


def test_r1_penalty_of_a_linear_critic_is_its_weight_norm():
    module = registry.get("r1-regularization").build(channels=1, hidden=2, gamma=4.0)
    linear = torch.nn.Linear(16, 1)
    module.discriminator = torch.nn.Sequential(torch.nn.Flatten(), linear)
    out = module(real=torch.randn(3, 1, 4, 4))
    want = 0.5 * 4.0 * linear.weight.pow(2).sum()
    assert torch.allclose(out["penalty"], want), "R1 of D(x) = wᵀx + b is (γ/2)‖w‖²"
    out["penalty"].backward()
    assert torch.allclose(linear.weight.grad, 4.0 * linear.weight), "the penalty back-propagates into D"


def test_path_lengths_are_jacobian_vector_products():
    module = registry.get("path-length-regularization").build(w_dim=3, channels=1, resolution=2, decay=0.01)
    w = torch.randn(2, 3, dtype=torch.float32, generator=_gen())
    torch.manual_seed(5)
    out = module(w=w)
    torch.manual_seed(5)
    y = torch.randn(2, 1, 2, 2) / 2.0
    for b in range(2):
        jacobian = torch.autograd.functional.jacobian(lambda v: module.generator(v).view(-1), w[b])  # [4, 3]
        want = (jacobian.t() @ y[b].reshape(-1)).norm()
        assert torch.allclose(out["path_lengths"][b], want, atol=1e-6), f"‖J_wᵀy‖ of sample {b}"
    assert torch.allclose(out["mean_path_length"], 0.01 * out["path_lengths"].mean()), (
        "a ← a + 0.01(mean − a)"
    )


def test_off_diagonal_orthogonal_regularization_ignores_norms():
    module = registry.get("off-diagonal-orthogonal-regularization").build(beta=0.5)
    w = torch.randn(4, 2, 3, generator=_gen(), dtype=torch.float64)
    flat = w.reshape(4, -1)
    gram = flat @ flat.t()
    want = 0.5 * (gram - torch.diag(torch.diag(gram))).pow(2).sum()
    assert torch.allclose(module(weight=w), want), "β‖WWᵀ ⊙ (1 − I)‖²_F"
    q, _ = torch.linalg.qr(torch.randn(6, 4, dtype=torch.float64))
    scaled = (q.t() * torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)[:, None]).reshape(4, 2, 3)
    assert float(module(weight=scaled)) < 1e-20, "orthogonal filters of any norms are not penalised"


def test_lamb_step_matches_the_papers_equations():
    g = _gen()
    w, grad = (
        torch.randn(5, generator=g, dtype=torch.float64),
        torch.randn(5, generator=g, dtype=torch.float64),
    )
    p = torch.nn.Parameter(w.clone())
    optimizer = registry.get("lamb").build([p], lr=0.1, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.01)
    m, v = torch.zeros(5, dtype=torch.float64), torch.zeros(5, dtype=torch.float64)
    theta = w.clone()
    for t in (1, 2):
        p.grad = grad.clone()
        optimizer.step()
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        r = (m / (1 - 0.9**t)) / ((v / (1 - 0.999**t)).sqrt() + 1e-6) + 0.01 * theta
        theta = theta - 0.1 * theta.norm() / r.norm() * r
        assert torch.allclose(p.detach(), theta), f"LAMB step {t}: θ − η‖θ‖/‖r‖·r"


def test_sam_step_uses_the_gradient_at_the_perturbed_point():
    from methods.impl.sharpness_aware_minimization import SAM

    a = torch.tensor([[3.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
    loss_fn = lambda x: 0.5 * x @ a @ x + (x**3).sum()  # noqa: E731
    w = torch.tensor([0.5, -1.0], dtype=torch.float64)
    p = torch.nn.Parameter(w.clone())
    optimizer = SAM([p], torch.optim.SGD, rho=0.1, lr=0.05)

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(p)
        loss.backward()
        return loss

    optimizer.step(closure)
    grad = lambda x: a @ x + 3 * x**2  # noqa: E731
    perturbed = w + 0.1 * grad(w) / grad(w).norm()
    assert torch.allclose(p.detach(), w - 0.05 * grad(perturbed)), "θ ← θ − η∇L(θ + ρg/‖g‖)"
    out = registry.get("sharpness-aware-minimization").build(lr=0.05, rho=0.05, steps=10)(
        weight=torch.zeros(4, 4)
    )
    assert out["losses"][-1] < out["losses"][0], "SAM lowers the toy objective"
    assert (out["sharpness"] > 0).all(), "on a convex objective the ascent step always raises the loss"
