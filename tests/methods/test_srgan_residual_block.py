"""SRGAN residual block against a functional re-computation (Ledig et al. 2017, Fig. 4, k3n64s1)."""

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, channels):
    torch.manual_seed(0)
    module = registry.get("srgan-residual-block").build(channels=channels).to(device)
    for bn in (module.bn1, module.bn2):
        torch.nn.init.uniform_(bn.weight, 0.5, 1.5)
        torch.nn.init.uniform_(bn.bias, -0.5, 0.5)
    with torch.no_grad():
        module.prelu.weight.fill_(0.3)
    return module


def _bn(x, bn):
    return F.batch_norm(x, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)


def test_srgan_block_matches_conv_bn_prelu_conv_bn_plus_skip(device):
    """Reference: x + BN(conv3x3(PReLU(BN(conv3x3(x))))) with F.conv2d, F.batch_norm and F.prelu."""
    module = _build(device, channels=8)
    x = torch.randn(2, 8, 7, 9, generator=torch.Generator().manual_seed(1)).to(device)
    h = F.prelu(_bn(F.conv2d(x, module.conv1.weight, padding=1), module.bn1), module.prelu.weight)
    expected = x + _bn(F.conv2d(h, module.conv2.weight, padding=1), module.bn2)
    got = module(x)
    assert torch.allclose(got, expected, atol=1e-5), (
        f"SRGAN block differs from the functional form by {(got - expected).abs().max():.2e}"
    )


def test_srgan_block_is_identity_when_the_residual_branch_is_zeroed(device):
    """Property of the skip connection: with the last BN's scale and shift at zero the block returns x."""
    module = _build(device, channels=8)
    with torch.no_grad():
        module.bn2.weight.zero_()
        module.bn2.bias.zero_()
    x = torch.randn(2, 8, 6, 6, generator=torch.Generator().manual_seed(2)).to(device)
    assert torch.equal(module(x), x), "zeroed residual branch did not give the identity"
