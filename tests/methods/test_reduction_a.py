"""Inception-v4 Reduction-A against F.max_pool2d, a functional conv-BN-ReLU and the valid-padding size formula
(Szegedy et al. 2016, Fig. 7)."""

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    return registry.get("Reduction-A").build(**params).to(device)


def test_reduction_a_output_size_and_channels(device):
    """Reference: valid 3x3/2 layers give (H - 3) // 2 + 1; channels are C_in + n + m
    (pool, conv n, conv m)."""
    module = _build(device, in_channels=6, k_filters=4, l_filters=5, m_filters=7, n_filters=3)
    for height, width in ((17, 17), (35, 35), (10, 13)):
        x = torch.randn(2, 6, height, width, generator=torch.Generator().manual_seed(height)).to(device)
        got = module(x).shape
        expected = (2, 6 + 3 + 7, (height - 3) // 2 + 1, (width - 3) // 2 + 1)
        assert got == expected, f"input {height}x{width}: output {tuple(got)} != {expected}"


def test_reduction_a_branches_are_pool_conv_n_and_the_k_l_m_stack(device):
    """Reference: channel block [0, C_in) equals F.max_pool2d(x, 3, 2); [C_in, C_in + n) equals
    relu(BN(conv3x3 stride 2, no padding)) by F.conv2d and F.batch_norm (training mode, eps 1e-3)."""
    module = _build(device, in_channels=6, k_filters=4, l_filters=5, m_filters=7, n_filters=3)
    x = torch.randn(2, 6, 11, 11, generator=torch.Generator().manual_seed(1)).to(device)
    got = module(x)
    assert torch.equal(got[:, :6], F.max_pool2d(x, 3, 2)), (
        "the pool branch differs from F.max_pool2d(x, 3, 2)"
    )
    conv, bn = module.conv_n[0], module.conv_n[1]
    assert conv.padding == (0, 0) and bn.eps == 1e-3, f"padding {conv.padding}, BN eps {bn.eps}"
    branch_n = torch.relu(
        F.batch_norm(
            F.conv2d(x, conv.weight, stride=2), None, None, bn.weight, bn.bias, training=True, eps=1e-3
        )
    )
    assert torch.allclose(got[:, 6:9], branch_n, atol=1e-5), (
        "the conv-n branch differs from its functional form"
    )
    assert torch.allclose(got[:, 9:], module.conv_klm(x), atol=1e-6), "the last block is not the k-l-m stack"
