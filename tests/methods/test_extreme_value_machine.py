"""Extreme Value Machine: the Weibull MLE against known parameters and the likelihood equations, the
model against a loop written from the paper's definitions (margins, Psi, max over extreme vectors)."""

import math

import torch

from methods import registry
from methods.impl.extreme_value_machine import fit_weibull


def test_weibull_fit_recovers_known_parameters(device):
    """Reference: samples drawn from torch.distributions.Weibull with known (scale, concentration)."""
    torch.manual_seed(0)
    scale = torch.tensor([1.7, 0.2, 30.0], dtype=torch.float64)
    shape = torch.tensor([2.5, 0.8, 9.0], dtype=torch.float64)
    samples = torch.distributions.Weibull(scale, shape).sample((20000,)).T.contiguous().to(device)
    kappa, lam = fit_weibull(samples)
    assert torch.allclose(kappa.cpu(), shape, rtol=0.04), f"shape kappa {kappa} vs true {shape}"
    assert torch.allclose(lam.cpu(), scale, rtol=0.04), f"scale lambda {lam} vs true {scale}"


def test_weibull_fit_solves_the_likelihood_equations(device):
    """Reference: autograd of sum log_prob of torch.distributions.Weibull vanishes at the MLE."""
    torch.manual_seed(1)
    samples = torch.distributions.Weibull(torch.tensor(0.6), torch.tensor(4.0)).sample((2, 12)).double()
    kappa, lam = fit_weibull(samples.to(device))
    kappa = kappa.cpu().requires_grad_(True)
    lam = lam.cpu().requires_grad_(True)
    log_likelihood = (
        torch.distributions.Weibull(lam.unsqueeze(-1), kappa.unsqueeze(-1)).log_prob(samples).sum()
    )
    d_lam, d_kappa = torch.autograd.grad(log_likelihood, (lam, kappa))
    assert d_lam.abs().max() < 1e-8 and d_kappa.abs().max() < 1e-8, f"score not zero: {d_lam}, {d_kappa}"


def _data(seed=0, n=30, classes=3):
    g = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % classes
    centers = torch.tensor([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]], dtype=torch.float64)[:classes]
    x = centers[labels] + torch.randn(n, 2, generator=g, dtype=torch.float64)
    query = torch.randn(7, 2, generator=g, dtype=torch.float64) * 3
    return x, labels, query


def test_evm_matches_loop_over_paper_definitions(device):
    """Reference: per-point loop: half distances to other classes, tau smallest, Weibull fit, then
    P(C_l | x') = max over class-l extreme vectors of exp(-(||x_i - x'|| / lambda_i)^kappa_i)."""
    x, labels, query = _data()
    tau = 5
    evm = registry.get("EVM").build(n_classes=3, tail_size=tau, coverage_threshold=0.5).to(device)
    probabilities = evm(x.to(device), labels.to(device), query.to(device)).cpu()
    fits = {}
    for i in evm.extreme_index.tolist():
        margins = sorted(
            math.dist(x[i].tolist(), x[j].tolist()) / 2 for j in range(len(x)) if labels[j] != labels[i]
        )[:tau]
        kappa, lam = fit_weibull(torch.tensor([margins], dtype=torch.float64))
        fits[i] = (kappa.item(), lam.item())
    for k, i in enumerate(evm.extreme_index.tolist()):
        assert math.isclose(evm.weibull_shape[k].item(), fits[i][0], rel_tol=1e-9), f"kappa of point {i}"
        assert math.isclose(evm.weibull_scale[k].item(), fits[i][1], rel_tol=1e-9), f"lambda of point {i}"
    for q in range(len(query)):
        for c in range(3):
            want = max(
                (
                    math.exp(-((math.dist(x[i].tolist(), query[q].tolist()) / lam) ** kappa))
                    for i, (kappa, lam) in fits.items()
                    if labels[i] == c
                ),
                default=0.0,
            )
            got = probabilities[q, c].item()
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-15), (
                f"query {q}, class {c}: {got} != {want}"
            )


def test_extreme_vectors_cover_their_class(device):
    """Property (set cover): every training point is covered, Psi >= varsigma, by an extreme vector of its
    class; varsigma = 1 keeps every point, and a lower varsigma keeps fewer."""
    x, labels, _ = _data(seed=2)
    sizes = {}
    for threshold in (1.0, 0.5, 0.01):
        evm = registry.get("EVM").build(tail_size=5, coverage_threshold=threshold).to(device)
        evm.fit(x.to(device), labels.to(device))
        psi = evm.inclusion(evm.extreme_vectors, evm.weibull_shape, evm.weibull_scale, x.to(device)).cpu()
        same = labels.unsqueeze(1) == evm.extreme_labels.cpu().unsqueeze(0)
        best = (psi * same).amax(dim=1)
        assert (best >= threshold - 1e-12).all(), f"varsigma={threshold}: uncovered points {best}"
        sizes[threshold] = evm.extreme_index.numel()
    assert sizes[1.0] == len(x), f"varsigma=1 should keep all {len(x)} points, kept {sizes[1.0]}"
    assert sizes[0.01] < sizes[0.5] < sizes[1.0], f"model size does not shrink with varsigma: {sizes}"


def test_evm_recognises_known_classes_and_rejects_the_unknown(device):
    """Property (open set): queries at the class centres score their class high; a far query scores ~0."""
    x, labels, _ = _data(seed=3, n=60)
    query = torch.tensor([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [40.0, 40.0]], dtype=torch.float64)
    evm = registry.get("EVM").build(tail_size=8).to(device)
    p = evm(x.to(device), labels.to(device), query.to(device)).cpu()
    assert (p[:3].argmax(dim=1) == torch.arange(3)).all(), f"known queries misclassified: {p[:3]}"
    assert (p[:3].amax(dim=1) > 0.5).all(), f"known queries not included: {p[:3]}"
    assert (p[3] < 1e-6).all(), f"far-away query not rejected as unknown: {p[3]}"
