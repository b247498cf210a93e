"""Causal convolution (WaveNet) against a per-tap loop, a shifted full convolution, and causality."""

import pytest
import torch
import torch.nn.functional as F

from methods import registry


def _build(device, kernel_size=3, dilation=2, in_channels=3, out_channels=4):
    torch.manual_seed(0)
    return (
        registry.get("causal-convolution")
        .build(in_channels=in_channels, out_channels=out_channels, kernel_size=kernel_size, dilation=dilation)
        .to(device)
    )


def _signal(device, channels=3, length=20, seed=1):
    return torch.randn(2, channels, length, generator=torch.Generator().manual_seed(seed)).to(device)


@pytest.mark.parametrize(("kernel_size", "dilation"), [(2, 1), (3, 2), (4, 3)])
def test_causal_convolution_matches_per_tap_loop(device, kernel_size, dilation):
    """Reference: y_t = b + sum_i W_i x_{t-(k-1-i)d} with x_s = 0 for s < 0, one tap at a time (WaveNet)."""
    conv = _build(device, kernel_size, dilation)
    x = _signal(device)
    weight, bias = conv.conv.weight, conv.conv.bias
    expected = bias[None, :, None].expand(2, -1, x.shape[-1]).clone()
    for i in range(kernel_size):
        lag = (kernel_size - 1 - i) * dilation
        shifted = torch.zeros_like(x)
        shifted[..., lag:] = x[..., : x.shape[-1] - lag]
        expected = expected + torch.einsum("oc,bct->bot", weight[:, :, i], shifted)
    got = conv(x)
    assert got.shape == (2, 4, 20), f"causal convolution changed the length: {tuple(got.shape)}"
    assert torch.allclose(got, expected, atol=1e-5), "causal convolution differs from the per-tap loop"


def test_causal_convolution_equals_shifted_full_convolution(device):
    """Reference: the catalog's construction, a normal F.conv1d padded on both sides, cropped to its first T steps."""
    conv = _build(device, kernel_size=3, dilation=2)
    x = _signal(device)
    padding = (3 - 1) * 2
    full = F.conv1d(x, conv.conv.weight, conv.conv.bias, padding=padding, dilation=2)
    assert torch.allclose(conv(x), full[..., : x.shape[-1]], atol=1e-5), (
        "causal convolution differs from the shifted output of a full F.conv1d"
    )


def test_outputs_up_to_t_ignore_inputs_after_t(device):
    """Property (the definition): changing inputs after t leaves outputs at steps <= t unchanged."""
    conv = _build(device, kernel_size=3, dilation=2)
    x = _signal(device)
    t = 9
    changed = x.clone()
    changed[..., t + 1 :] = torch.randn_like(changed[..., t + 1 :]) * 10
    before, after = conv(x), conv(changed)
    assert torch.equal(before[..., : t + 1], after[..., : t + 1]), (
        "an output at step <= t read a future input"
    )
    assert not torch.allclose(before[..., t + 1 :], after[..., t + 1 :]), (
        "outputs after t ignored their inputs"
    )


def test_receptive_field_is_the_dilated_taps(device):
    """Property: output t depends exactly on inputs t, t-d, ..., t-(k-1)d (gradient support)."""
    conv = _build(device, kernel_size=3, dilation=2, in_channels=1, out_channels=1)
    x = _signal(device, channels=1).requires_grad_(True)
    conv(x)[0, 0, 12].backward()
    support = (x.grad[0, 0] != 0).nonzero().flatten().tolist()
    assert support == [8, 10, 12], f"output 12 reads inputs {support}, expected [8, 10, 12]"
