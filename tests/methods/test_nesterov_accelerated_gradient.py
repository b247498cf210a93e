"""Nesterov Accelerated Gradient against torch.optim.SGD(nesterov=True) and Sutskever et al.'s equations."""

import torch

from methods import registry


def _problem(device, seed=0):
    """A small random regression MLP (two weight matrices, two biases) in float64."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(32, 5, generator=g, dtype=torch.float64).to(device)
    y = torch.randn(32, 1, generator=g, dtype=torch.float64).to(device)
    net = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Tanh(), torch.nn.Linear(7, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64))
    return net.double().to(device), x, y


def test_nag_trajectory_matches_torch_sgd_nesterov(device):
    """Reference: torch.optim.SGD(momentum=mu, nesterov=True, weight_decay=lambda), PyTorch built-in."""
    ours, x, y = _problem(device)
    theirs, _, _ = _problem(device)
    hp = {"lr": 0.01, "momentum": 0.9, "weight_decay": 1e-3}
    opt_ours = registry.get("NAG").build(ours.parameters(), **hp)
    opt_theirs = torch.optim.SGD(theirs.parameters(), nesterov=True, **hp)
    for step in range(150):
        for net, opt in ((ours, opt_ours), (theirs, opt_theirs)):
            opt.zero_grad()
            torch.nn.functional.mse_loss(net(x), y).backward()
            opt.step()
        for (name, a), b in zip(ours.named_parameters(), theirs.parameters(), strict=True):
            assert torch.allclose(a, b, rtol=0, atol=1e-12), f"step {step}: {name} left SGD(nesterov=True)"


def test_nag_iterates_are_sutskever_look_ahead_points(device):
    """Reference: the paper's v <- mu v - eta grad f(theta + mu v), theta <- theta + v, looped by hand;
    the optimizer's parameter must equal the look-ahead point phi = theta + mu v at every step."""
    g = torch.Generator().manual_seed(3)
    a = torch.randn(6, 6, generator=g, dtype=torch.float64)
    hessian = (a @ a.T / 6 + 0.1 * torch.eye(6, dtype=torch.float64)).to(device)
    target = torch.randn(6, generator=g, dtype=torch.float64).to(device)

    def grad_f(w):
        return hessian @ (w - target)

    eta, mu = 0.05, 0.95
    theta = torch.zeros(6, dtype=torch.float64, device=device)
    v = torch.zeros_like(theta)
    phi = torch.nn.Parameter(theta.clone())
    opt = registry.get("nesterov-accelerated-gradient").build([phi], lr=eta, momentum=mu)
    for step in range(120):
        v = mu * v - eta * grad_f(theta + mu * v)
        theta = theta + v
        phi.grad = grad_f(phi.detach())
        opt.step()
        assert torch.allclose(phi.detach(), theta + mu * v, atol=1e-10), (
            f"step {step}: parameter is not the look-ahead point theta + mu v"
        )


def test_nag_differs_from_heavy_ball_momentum(device):
    """Property: Nesterov's look-ahead changes the trajectory versus classical momentum (SGD nesterov=False)."""
    ours, x, y = _problem(device)
    heavy, _, _ = _problem(device)
    opt_ours = registry.get("NAG").build(ours.parameters(), lr=0.01, momentum=0.9)
    opt_heavy = torch.optim.SGD(heavy.parameters(), lr=0.01, momentum=0.9)
    for _ in range(5):
        for net, opt in ((ours, opt_ours), (heavy, opt_heavy)):
            opt.zero_grad()
            torch.nn.functional.mse_loss(net(x), y).backward()
            opt.step()
    gap = max((p - q).abs().max().item() for p, q in zip(ours.parameters(), heavy.parameters(), strict=True))
    assert gap > 1e-6, "NAG coincides with heavy-ball momentum; the look-ahead term is missing"
