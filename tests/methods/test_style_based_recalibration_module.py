"""SRM against the paper's equations (Lee et al. 2019, eqs. 1-6) and its channel-wise structure."""

import torch

from methods import registry


def _build(device, channels):
    torch.manual_seed(0)
    module = registry.get("SRM").build(channels=channels).to(device)
    torch.nn.init.uniform_(module.bn.weight, 0.5, 1.5)
    torch.nn.init.uniform_(module.bn.bias, -0.5, 0.5)
    return module


def test_srm_matches_a_per_channel_loop(device):
    """Reference: a loop over (n, c) computing mu, sigma (population std, + eps inside the root),
    z = w_c0 mu + w_c1 sigma, a hand-written training-mode BN over the batch, and g * x."""
    module = _build(device, channels=6)
    x = torch.randn(4, 6, 5, 7, generator=torch.Generator().manual_seed(1)).to(device)
    z = torch.empty(4, 6, device=device)
    for n in range(4):
        for c in range(6):
            values = x[n, c].flatten()
            mu = values.sum() / values.numel()
            sigma = torch.sqrt(((values - mu) ** 2).sum() / values.numel() + module.eps)
            z[n, c] = module.cfc[c, 0] * mu + module.cfc[c, 1] * sigma
    mean, var = z.mean(0), z.var(0, unbiased=False)
    z_hat = (z - mean) / torch.sqrt(var + module.bn.eps) * module.bn.weight + module.bn.bias
    expected = torch.sigmoid(z_hat)[:, :, None, None] * x
    got = module(x)
    assert torch.allclose(got, expected, atol=1e-5), (
        f"SRM differs from the per-channel loop by {(got - expected).abs().max():.2e}"
    )


def test_srm_style_integration_does_not_mix_channels(device):
    """Property of the channel-wise FC (and per-channel BN): changing channel 2 leaves every other
    output channel untouched, unlike an SE block's fully connected layers."""
    module = _build(device, channels=8)
    x = torch.randn(3, 8, 6, 6, generator=torch.Generator().manual_seed(2)).to(device)
    changed = x.clone()
    changed[:, 2] = 3 * changed[:, 2] + 1
    a, b = module(x), module(changed)
    others = [c for c in range(8) if c != 2]
    assert torch.allclose(a[:, others], b[:, others], atol=1e-6), "changing channel 2 moved other channels"
    assert not torch.allclose(a[:, 2], b[:, 2]), "channel 2 did not respond to its own change"
