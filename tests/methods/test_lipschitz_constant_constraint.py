"""Lipschitz Constant Constraint: norms against torch.linalg.matrix_norm, projection against the paper's rule."""

import pytest
import torch

from methods import registry


def _matrix_with_spectrum(singular_values, rows, cols, seed):
    g = torch.Generator().manual_seed(seed)
    u, _ = torch.linalg.qr(torch.randn(rows, rows, generator=g, dtype=torch.float64))
    v, _ = torch.linalg.qr(torch.randn(cols, cols, generator=g, dtype=torch.float64))
    s = torch.zeros(rows, cols, dtype=torch.float64)
    s[range(len(singular_values)), range(len(singular_values))] = torch.tensor(
        singular_values, dtype=torch.float64
    )
    return u @ s @ v.T


def test_power_method_matches_matrix_norm_2(device):
    """Reference: torch.linalg.matrix_norm(ord=2), the exact largest singular value (via SVD)."""
    torch.manual_seed(0)
    lcc = registry.get("LCC").build(p="2", power_iterations=200)
    for seed in range(3):
        w = torch.randn(16, 32, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(device)
        got, want = lcc.operator_norm(w), torch.linalg.matrix_norm(w, ord=2)
        assert torch.allclose(got, want, rtol=1e-4), f"seed {seed}: power method {got} vs SVD {want}"


def test_power_method_approaches_from_below_and_converges(device):
    """Property: ||W x|| / ||x|| <= sigma_1 for any x, and with a spectral gap 3 vs 2 it reaches sigma_1 = 3."""
    torch.manual_seed(1)
    w = _matrix_with_spectrum([3.0, 2.0, 1.0, 0.5], 6, 8, seed=4).to(device)
    for n, rtol in ((1, None), (40, 1e-9)):
        got = registry.get("LCC").build(power_iterations=n).operator_norm(w).item()
        assert got <= 3.0 + 1e-12, f"{n} iterations overshoot sigma_1: {got}"
        if rtol:
            assert abs(got - 3.0) < rtol * 3.0, f"{n} iterations did not converge to 3: {got}"


@pytest.mark.parametrize(("p", "ord_"), [("1", 1), ("inf", float("inf"))])
def test_exact_norms_match_matrix_norm(device, p, ord_):
    """Reference: torch.linalg.matrix_norm(ord=1 / inf): max column / row absolute sum of W in x -> W x."""
    w = torch.randn(7, 11, generator=torch.Generator().manual_seed(5)).to(device)
    got = registry.get("lipschitz-constant-constraint").build(p=p).operator_norm(w)
    want = torch.linalg.matrix_norm(w, ord=ord_)
    assert torch.allclose(got, want, rtol=1e-6), f"p={p}: {got} != {want}"


@pytest.mark.parametrize(("p", "ord_"), [("1", 1), ("2", 2), ("inf", float("inf"))])
def test_projection_bounds_norm_and_leaves_small_weights(device, p, ord_):
    """Paper's rule W / max(1, ||W||_p / lambda): the result has norm <= lambda; a feasible W is untouched."""
    torch.manual_seed(2)
    lam = 1.5
    lcc = registry.get("LCC").build(max_norm=lam, p=p, power_iterations=100)
    w = 3.0 * torch.randn(12, 9, generator=torch.Generator().manual_seed(6), dtype=torch.float64).to(device)
    out = lcc(w)
    assert out["norm"].item() > lam, "test setup: weight should start outside the ball"
    projected_norm = torch.linalg.matrix_norm(out["weight"], ord=ord_).item()
    assert projected_norm <= lam * (1 + 1e-6), f"p={p}: projected norm {projected_norm} > lambda {lam}"
    assert torch.allclose(out["weight"] * out["norm"] / lam, w), f"p={p}: projection is not a rescaling of W"
    small = w / (10 * torch.linalg.matrix_norm(w, ord=ord_))
    assert torch.equal(lcc(small)["weight"], small), f"p={p}: a weight inside the ball was changed"


def test_projected_training_keeps_every_layer_bounded(device):
    """Property (projected SGD): after each step + project_, every Linear's spectral norm is <= lambda + tol."""
    torch.manual_seed(3)
    net = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1)).to(device)
    lcc = registry.get("LCC").build(max_norm=0.8, power_iterations=50)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    x, y = torch.randn(64, 4, device=device), torch.randn(64, 1, device=device) * 10
    for step in range(30):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
        lcc.project_(net)
        for layer in (net[0], net[2]):
            norm = torch.linalg.matrix_norm(layer.weight.detach(), ord=2).item()
            assert norm <= 0.8 + 1e-3, f"step {step}: layer norm {norm} exceeds lambda 0.8"
