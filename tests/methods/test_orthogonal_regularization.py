"""Orthogonal Regularization against a double loop over filter pairs written from the papers' equations."""

import pytest
import torch

from methods import registry


def _naive(weight, beta, norm, off_diagonal):
    """R = beta * sum_{i,j} phi(<w_i, w_j> - [i == j]) over filters w_i (the papers' columns), by hand."""
    filters = weight.detach().reshape(weight.shape[0], -1).tolist()
    total = 0.0
    for i, wi in enumerate(filters):
        for j, wj in enumerate(filters):
            if off_diagonal and i == j:
                continue
            gram = sum(a * b for a, b in zip(wi, wj, strict=True))
            residual = gram - (1.0 if i == j else 0.0)
            total += abs(residual) if norm == "l1" else residual**2
    return beta * total


@pytest.mark.parametrize("norm", ["frobenius", "l1"])
@pytest.mark.parametrize("off_diagonal", [False, True])
def test_orthogonal_regularization_matches_double_loop(device, norm, off_diagonal):
    """Reference: explicit loop over filter pairs (BigGAN's ||W^T W (-I or ⊙(1-I))||_F^2, Brock 2017's L1)."""
    weight = torch.randn(6, 3, 2, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    reg = registry.get("orthogonal-regularization").build(beta=0.3, norm=norm, off_diagonal=off_diagonal)
    got = reg(weight.to(device)).item()
    want = _naive(weight, 0.3, norm, off_diagonal)
    assert abs(got - want) < 1e-9 * max(1.0, abs(want)), (
        f"{norm}, off_diagonal={off_diagonal}: {got} != {want}"
    )


@pytest.mark.parametrize("off_diagonal", [False, True])
def test_orthogonal_regularization_gradient_is_analytic(device, off_diagonal):
    """Reference: d/dW beta||W W^T - I||_F^2 = 4 beta (W W^T - I) W (BigGAN's code uses this form, masked)."""
    w = torch.randn(5, 9, generator=torch.Generator().manual_seed(1), dtype=torch.float64).to(device)
    w.requires_grad_(True)
    beta = 0.7
    registry.get("orthogonal-regularization").build(beta=beta, off_diagonal=off_diagonal)(w).backward()
    eye = torch.eye(5, dtype=torch.float64, device=device)
    gram = w.detach() @ w.detach().T
    residual = gram * (1 - eye) if off_diagonal else gram - eye
    want = 4 * beta * residual @ w.detach()
    assert torch.allclose(w.grad, want, atol=1e-10), "autograd gradient differs from 4 beta (WW^T - I) W"


def test_orthogonal_rows_cost_nothing_and_scaling_only_costs_the_diagonal(device):
    """Property: orthonormal filters give R = 0; scaling them costs only in the original, not BigGAN's variant."""
    q, _ = torch.linalg.qr(torch.randn(8, 4, generator=torch.Generator().manual_seed(2), dtype=torch.float64))
    filters = (q.T * 3.0).to(device)
    full = registry.get("orthogonal-regularization").build(beta=1.0)
    off = registry.get("orthogonal-regularization").build(beta=1.0, off_diagonal=True)
    assert full(q.T.to(device)).item() < 1e-12, "orthonormal filters are penalised"
    assert abs(full(filters).item() - 4 * 8.0**2) < 1e-9, "scaled orthogonal filters: wrong diagonal cost"
    assert off(filters).item() < 1e-12, "off-diagonal variant penalises filter norms"


def test_orthogonal_regularization_sums_over_all_filter_banks(device):
    """Property: the network penalty is the sum over every weight with ndim >= 2 (biases skipped)."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(), torch.nn.Linear(4, 2)).to(device)
    reg = registry.get("orthogonal-regularization").build(beta=0.5)
    want = reg(net[0].weight) + reg(net[2].weight)
    assert torch.allclose(reg.over(net), want), (
        "penalty over the network is not the sum over its filter banks"
    )
