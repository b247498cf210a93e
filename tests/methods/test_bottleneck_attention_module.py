"""BAM against a functional re-computation of the paper's equations (Park et al. 2018, eqs. 1-4)."""

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    module = registry.get("BAM").build(**params).to(device)
    for bn in (module.channel.bn, module.spatial.bn):
        torch.nn.init.uniform_(bn.weight, 0.5, 1.5)
        torch.nn.init.uniform_(bn.bias, -0.5, 0.5)
    return module


def _bn(x, bn):
    return F.batch_norm(x, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)


def test_bam_matches_the_paper_equations(device):
    """Reference: M_c = BN(W1 relu(W0 GAP(F) + b0) + b1), M_s = BN(f3(f2(f1(f0(F))))) with dilated f1, f2,
    F' = F + F * sigmoid(M_c + M_s), written with torch.nn.functional and the module's own weights."""
    module = _build(device, channels=32, reduction=4, dilation=2)
    x = torch.randn(3, 32, 10, 12, generator=torch.Generator().manual_seed(1)).to(device)
    c, s = module.channel, module.spatial
    m_c = _bn(
        F.linear(torch.relu(F.linear(x.mean((2, 3)), c.fc0.weight, c.fc0.bias)), c.fc1.weight, c.fc1.bias),
        c.bn,
    )
    h = torch.relu(F.conv2d(x, s.reduce.weight, s.reduce.bias))
    h = torch.relu(F.conv2d(h, s.dilated1.weight, s.dilated1.bias, padding=2, dilation=2))
    h = torch.relu(F.conv2d(h, s.dilated2.weight, s.dilated2.bias, padding=2, dilation=2))
    m_s = _bn(F.conv2d(h, s.project.weight, s.project.bias), s.bn)
    expected = x + x * torch.sigmoid(m_c[:, :, None, None] + m_s)
    got = module(x)
    assert got.shape == x.shape, f"BAM changed the shape: {tuple(got.shape)}"
    assert torch.allclose(got, expected, atol=1e-5), (
        f"BAM differs from the paper's equations by {(got - expected).abs().max():.2e}"
    )


def test_bam_is_a_residual_gate_between_one_and_two(device):
    """Property of F' = F (1 + M) with M in (0, 1): F'/F lies strictly between 1 and 2 everywhere."""
    module = _build(device)
    x = torch.randn(2, 32, 16, 16, generator=torch.Generator().manual_seed(2)).to(device)
    ratio = module(x) / x
    assert (ratio > 1).all() and (ratio < 2).all(), (
        f"F'/F outside (1, 2): min {ratio.min():.4f}, max {ratio.max():.4f}"
    )
