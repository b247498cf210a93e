"""Ghost module against its definition (Han et al. 2020, eqs. 2-3): intrinsic maps then per-map ghosts."""

import math

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    module = registry.get("ghost-module").build(**params).to(device)
    for bn in (module.primary[1], module.cheap[1]):
        torch.nn.init.uniform_(bn.weight, 0.5, 1.5)
        torch.nn.init.uniform_(bn.bias, -0.5, 0.5)
    return module


def _bn_relu(x, bn):
    return torch.relu(F.batch_norm(x, None, None, bn.weight, bn.bias, training=True, eps=bn.eps))


def test_first_m_channels_are_the_primary_convolution(device):
    """Reference: Y' = relu(BN(X * f')) by F.conv2d; the identity Phi_{i,s} keeps it as the first
    m = ceil(n / s) output channels."""
    module = _build(device, in_channels=5, out_channels=7, kernel_size=3, ratio=3, dw_size=3)
    x = torch.randn(2, 5, 9, 9, generator=torch.Generator().manual_seed(1)).to(device)
    m = math.ceil(7 / 3)
    conv, bn = module.primary[0], module.primary[1]
    intrinsic = _bn_relu(F.conv2d(x, conv.weight, padding=1), bn)
    got = module(x)
    assert got.shape == (2, 7, 9, 9), f"Ghost module output shape {tuple(got.shape)} != (2, 7, 9, 9)"
    assert torch.allclose(got[:, :m], intrinsic, atol=1e-5), (
        "the first m channels differ from the primary conv"
    )


def test_each_ghost_map_comes_from_its_own_intrinsic_map(device):
    """Reference: a loop over intrinsic maps i and ghosts j, y_ij = Phi_ij(y'_i) with Phi_ij a single-channel
    d x d convolution, then BN + ReLU; concatenated after Y' and sliced to n channels."""
    module = _build(device, in_channels=4, out_channels=7, ratio=3, dw_size=5)
    x = torch.randn(3, 4, 8, 6, generator=torch.Generator().manual_seed(2)).to(device)
    m, s = math.ceil(7 / 3), 3
    intrinsic = module.primary(x)
    conv, bn = module.cheap[0], module.cheap[1]
    ghosts = []
    for i in range(m):
        for j in range(s - 1):
            kernel = conv.weight[i * (s - 1) + j : i * (s - 1) + j + 1]
            ghosts.append(F.conv2d(intrinsic[:, i : i + 1], kernel, padding=2))
    expected = torch.cat((intrinsic, _bn_relu(torch.cat(ghosts, dim=1), bn)), dim=1)[:, :7]
    got = module(x)
    assert torch.allclose(got, expected, atol=1e-5), (
        f"ghost maps differ from the per-map loop by {(got - expected).abs().max():.2e}"
    )


def test_ghost_module_saves_parameters_and_follows_the_stride(device):
    """Property (paper eq. 4): for n = 32, s = 2 the module has about 1/s of an ordinary convolution's
    weights; a stride-2 primary conv halves the grid."""
    module = _build(device, in_channels=16, out_channels=32, kernel_size=3, ratio=2, stride=2)
    weights = module.primary[0].weight.numel() + module.cheap[0].weight.numel()
    ordinary = 32 * 16 * 3 * 3
    assert weights < 0.6 * ordinary, f"{weights} conv weights, not ~1/2 of an ordinary conv's {ordinary}"
    out = module(torch.randn(2, 16, 15, 16, generator=torch.Generator().manual_seed(3)).to(device))
    assert out.shape == (2, 32, 8, 8), f"stride-2 output shape {tuple(out.shape)} != (2, 32, 8, 8)"
