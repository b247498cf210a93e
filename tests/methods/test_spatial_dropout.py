"""SpatialDropout against nn.Dropout2d (PyTorch built-in) and its defining per-map property."""

import torch
import torch.nn.functional as F

from methods import registry


def _x(device, shape=(4, 32, 5, 6), seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)).to(device)


def test_spatial_dropout_matches_dropout2d_under_the_same_seed(device):
    """Reference: torch.nn.functional.dropout2d draws the same [B, C, 1, 1] Bernoulli(1 - p) noise."""
    drop = registry.get("spatialdropout").build(p=0.3).to(device)
    x = _x(device)
    torch.manual_seed(7)
    got = drop(x)
    torch.manual_seed(7)
    expected = F.dropout2d(x, p=0.3, training=True)
    assert torch.allclose(got, expected, atol=1e-6), (
        "SpatialDropout differs from F.dropout2d with the same seed"
    )


def test_each_feature_map_is_dropped_or_kept_whole(device):
    """Property (Tompson et al.): every (example, channel) map is all zero or all x / (1 - p)."""
    p = 0.4
    drop = registry.get("spatialdropout").build(p=p).to(device)
    x = _x(device)
    torch.manual_seed(3)
    y = drop(x)
    ratio = (y / x).flatten(2)
    dropped = (ratio == 0).all(-1)
    kept = torch.isclose(ratio, torch.full_like(ratio, 1 / (1 - p))).all(-1)
    assert (dropped | kept).all(), "a feature map was partly dropped or wrongly scaled"
    assert dropped.any() and kept.any(), "with 128 maps at p=0.4 both dropped and kept maps are expected"


def test_dropped_fraction_is_near_p(device):
    """Property: over 4096 independent maps the dropped fraction is p within 5 standard deviations."""
    p = 0.25
    drop = registry.get("spatialdropout").build(p=p).to(device)
    x = torch.ones(8, 512, 3, 3, device=device)
    torch.manual_seed(11)
    fraction = (drop(x)[:, :, 0, 0] == 0).float().mean().item()
    assert abs(fraction - p) < 5 * (p * (1 - p) / 4096) ** 0.5, (
        f"dropped fraction {fraction:.3f} far from p={p}"
    )


def test_spatial_dropout_is_identity_in_eval_mode(device):
    """Property: at evaluation the layer passes its input through unchanged."""
    drop = registry.get("spatialdropout").build(p=0.5).to(device).eval()
    x = _x(device)
    assert torch.equal(drop(x), x), "SpatialDropout changed its input in eval mode"
