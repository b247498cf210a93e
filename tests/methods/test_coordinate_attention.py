"""Coordinate attention against the paper's equations (Hou et al. 2021, eqs. 4-9) and its factorised form."""

import torch

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    module = registry.get("Coordinate Attention").build(**params).to(device)
    torch.nn.init.uniform_(module.bn.weight, 0.5, 1.5)
    torch.nn.init.uniform_(module.bn.bias, -0.5, 0.5)
    return module


def test_coordinate_attention_matches_the_paper_equations(device):
    """Reference: z^h, z^w by explicit averages, 1x1 convs as einsums, a hand-written training-mode BN,
    h-swish as x * relu6(x + 3) / 6, and y = x * g^h * g^w; on a non-square map so the split is checked."""
    module = _build(device, channels=16, reduction=2)
    # On a GPU cuDNN may run the module's convolutions in TF32, while this reference uses fp32 matmuls
    atol = 1e-5 if device.type == "cpu" else 5e-3
    x = torch.randn(3, 16, 9, 6, generator=torch.Generator().manual_seed(1)).to(device)
    height = x.shape[2]
    z_h = x.sum(3) / x.shape[3]
    z_w = x.sum(2) / x.shape[2]
    z = torch.cat((z_h, z_w), dim=2)
    f = torch.einsum("oc,bcl->bol", module.conv1.weight[:, :, 0, 0], z) + module.conv1.bias[:, None]
    mean, var = f.mean((0, 2), keepdim=True), f.var((0, 2), unbiased=False, keepdim=True)
    f = (f - mean) / torch.sqrt(var + module.bn.eps) * module.bn.weight[:, None] + module.bn.bias[:, None]
    f = f * torch.clamp(f + 3, 0, 6) / 6
    g_h = torch.sigmoid(
        torch.einsum("oc,bcl->bol", module.conv_h.weight[:, :, 0, 0], f[:, :, :height])
        + module.conv_h.bias[:, None]
    )
    g_w = torch.sigmoid(
        torch.einsum("oc,bcl->bol", module.conv_w.weight[:, :, 0, 0], f[:, :, height:])
        + module.conv_w.bias[:, None]
    )
    expected = x * g_h[:, :, :, None] * g_w[:, :, None, :]
    got = module(x)
    assert torch.allclose(got, expected, atol=atol), (
        f"coordinate attention differs from the equations by {(got - expected).abs().max():.2e}"
    )


def test_coordinate_attention_gate_is_a_rank_one_outer_product(device):
    """Property of y_c(i, j) = x_c(i, j) g^h_c(i) g^w_c(j): per channel, the gate y/x is an outer product,
    so G(i, j) G(0, 0) = G(i, 0) G(0, j)."""
    module = _build(device, channels=32)
    x = torch.randn(2, 32, 8, 5, generator=torch.Generator().manual_seed(2)).to(device)
    gate = module(x) / x
    outer = gate[:, :, :, :1] * gate[:, :, :1, :]
    assert torch.allclose(gate * gate[:, :, :1, :1], outer, atol=1e-5), "the gate is not separable in (h, w)"
    assert not torch.allclose(gate, gate[:, :, :1, :1].expand_as(gate), atol=1e-3), (
        "the gate is constant over space, i.e. position is not encoded"
    )
