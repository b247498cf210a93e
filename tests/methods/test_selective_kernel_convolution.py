"""SK convolution against the paper's Split/Fuse/Select equations (Li et al. 2019, eqs. 1-6)."""

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    module = registry.get("SKConv").build(**params).to(device)
    for bn in [branch[1] for branch in module.branches] + [module.fuse[1]]:
        torch.nn.init.uniform_(bn.weight, 0.5, 1.5)
        torch.nn.init.uniform_(bn.bias, -0.5, 0.5)
    return module


def _bn(x, bn):
    return F.batch_norm(x, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)


def test_sk_attention_is_a_softmax_over_branches(device):
    """Property of the Select step: per sample and channel, the weights a_m are positive and sum to 1."""
    module = _build(device, channels=16, branches=3, groups=4, reduction=4, min_dim=8)
    x = torch.randn(2, 16, 10, 10, generator=torch.Generator().manual_seed(1)).to(device)
    weights = module.attention(module.split(x))
    assert weights.shape == (3, 2, 16), f"attention shape {tuple(weights.shape)} != (M, B, C) = (3, 2, 16)"
    assert (weights > 0).all(), "a softmax weight is not positive"
    sums = weights.sum(0)
    assert torch.allclose(sums, torch.ones_like(sums), atol=1e-6), (
        f"weights sum to {sums.min()}..{sums.max()}"
    )


def test_sk_convolution_matches_the_paper_equations(device):
    """Reference: branch m = relu(BN(grouped 3x3 conv, dilation m)) by F.conv2d; U = sum of branches,
    s = GAP(U), z = relu(BN(W s)), a_m = softmax_m(A_m z), V = sum_m a_m U_m, all in torch.nn.functional."""
    module = _build(device, channels=8, branches=2, groups=2, reduction=2, min_dim=6)
    x = torch.randn(3, 8, 7, 9, generator=torch.Generator().manual_seed(2)).to(device)
    branches = []
    for m, branch in enumerate(module.branches, start=1):
        u = F.conv2d(x, branch[0].weight, padding=m, dilation=m, groups=2)
        branches.append(torch.relu(_bn(u, branch[1])))
    s = sum(branches).mean((2, 3))
    z = torch.relu(_bn(s @ module.fuse[0].weight.T, module.fuse[1]))
    assert z.shape == (3, 6), f"fused z has shape {tuple(z.shape)}, expected d = max(8/2, 6) = 6"
    logits = torch.stack([z @ a.weight.T for a in module.select])
    weights = logits.exp() / logits.exp().sum(0)
    expected = sum(w[:, :, None, None] * u for w, u in zip(weights, branches, strict=True))
    got = module(x)
    assert torch.allclose(got, expected, atol=1e-5), (
        f"SK convolution differs from the equations by {(got - expected).abs().max():.2e}"
    )


def test_single_branch_sk_is_its_only_branch(device):
    """Property: with M = 1 the softmax weight is 1, so the output is exactly the one conv-BN-ReLU branch."""
    module = _build(device, channels=8, branches=1, groups=2)
    x = torch.randn(2, 8, 6, 6, generator=torch.Generator().manual_seed(3)).to(device)
    assert torch.allclose(module(x), module.branches[0](x), atol=1e-6), (
        "M = 1 output is not the branch itself"
    )
