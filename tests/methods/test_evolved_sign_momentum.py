"""Lion (Evolved Sign Momentum) against the `lion-pytorch` package's Lion."""

import pytest
import torch

from methods import registry

lion_pytorch = pytest.importorskip("lion_pytorch")


def _problem(device, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(64, 6, generator=g, dtype=torch.float64).to(device)
    y = torch.randn(64, 2, generator=g, dtype=torch.float64).to(device)
    net = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.GELU(), torch.nn.Linear(8, 2))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64))
    return net.double().to(device), x, y


def test_lion_trajectory_matches_lion_pytorch(device):
    """Reference: lion_pytorch.Lion (lucidrains), whose weight decay p *= 1 - lr*wd is the paper's eta*lambda*theta."""
    ours, x, y = _problem(device)
    theirs, _, _ = _problem(device)
    opt_ours = registry.get("Lion").build(ours.parameters(), lr=3e-3, beta1=0.9, beta2=0.99, weight_decay=0.1)
    opt_theirs = lion_pytorch.Lion(theirs.parameters(), lr=3e-3, betas=(0.9, 0.99), weight_decay=0.1)
    for step in range(200):
        for net, opt in ((ours, opt_ours), (theirs, opt_theirs)):
            opt.zero_grad()
            torch.nn.functional.mse_loss(net(x), y).backward()
            opt.step()
        for (name, a), b in zip(ours.named_parameters(), theirs.parameters(), strict=True):
            assert torch.allclose(a, b, rtol=0, atol=1e-12), f"step {step}: {name} left lion_pytorch.Lion"


def test_lion_moves_every_coordinate_by_exactly_lr(device):
    """Property (paper): without weight decay the update sign(c) has magnitude eta in every coordinate."""
    weight = torch.nn.Parameter(torch.randn(5, 4, generator=torch.Generator().manual_seed(2)).to(device))
    opt = registry.get("evolved-sign-momentum").build([weight], lr=0.05)
    for _ in range(10):
        before = weight.detach().clone()
        opt.zero_grad()
        (weight**3).sum().backward()
        opt.step()
        step = (weight.detach() - before).abs()
        assert torch.allclose(step, torch.full_like(step, 0.05), atol=1e-6), f"update magnitudes {step}"


def test_lion_update_uses_beta1_interpolation_not_momentum(device):
    """Property: with beta1 = 0 the update is -eta sign(g) even when the beta2 momentum points the other way."""
    weight = torch.nn.Parameter(torch.zeros(3, device=device))
    opt = registry.get("Lion").build([weight], lr=0.1, beta1=0.0, beta2=0.99)
    weight.grad = torch.tensor([1.0, 1.0, 1.0], device=device)
    opt.step()
    weight.grad = torch.tensor([-0.5, 2.0, -3.0], device=device)
    before = weight.detach().clone()
    opt.step()
    expected = before - 0.1 * torch.tensor([-1.0, 1.0, -1.0], device=device)
    assert torch.allclose(weight.detach(), expected), f"beta1=0 step gave {weight.detach()}, want {expected}"
