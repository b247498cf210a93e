"""Hand-written dropouts, normalizations, image operations and augmentations: loops and invariants."""

import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry


@pytest.fixture(autouse=True)
def _fixed_seed():
    """Modules are built with random weights: the same ones on every run."""
    torch.manual_seed(0)


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_stochastic_depth_drops_whole_branches_and_rescales():
    block = registry.get("stochastic-depth").build(channels=3, drop_prob=0.5, mode="row")
    x = torch.randn(64, 3, 4, 4, generator=_gen())
    f = block.branch(x)
    torch.manual_seed(0)
    out = block.train()(x=x)
    kept = out["kept"].bool()
    assert torch.allclose(out["output"][kept], torch.relu(2 * f + x)[kept], atol=1e-6), "kept: ReLU(f/p + x)"
    assert torch.allclose(out["output"][~kept], torch.relu(x)[~kept]), "dropped: ReLU(x)"
    assert 16 < int(kept.sum()) < 48, f"about half of 64 examples kept, got {int(kept.sum())}"
    assert torch.allclose(block.eval()(x=x)["output"], torch.relu(f + x), atol=1e-6), (
        "evaluation: plain block"
    )


def test_dropblock_drops_square_blocks():
    module = registry.get("dropblock").build(keep_prob=0.8, block_size=3)
    x = torch.randn(8, 2, 12, 12, generator=_gen())
    torch.manual_seed(0)
    out = module.train()(x=x)
    mask = out["mask"]
    assert 0 < float(mask.mean()) < 1, "some but not all activations dropped"
    # every dropped position lies in a fully dropped 3×3 window
    dropped_windows = F.max_pool2d(1 - F.max_pool2d(mask, 3, stride=1, padding=1), 3, stride=1, padding=1)
    assert torch.equal(dropped_windows, 1 - mask), "a dropped unit outside any 3×3 dropped square"
    assert torch.allclose(out["output"], x * mask * mask.numel() / mask.sum()), (
        "A · M · count(M)/count_ones(M)"
    )
    assert torch.equal(module.eval()(x=x)["output"], x), "evaluation leaves the map unchanged"


def test_monte_carlo_dropout_spreads_only_with_dropout():
    still = registry.get("monte-carlo-dropout").build(
        in_features=4, hidden=8, out_features=2, p=0.0, samples=5
    )
    x = torch.randn(3, 4, generator=_gen())
    out = still.eval()(x=x)
    assert torch.allclose(out["variance"], torch.zeros(3, 2), atol=1e-6), "p = 0: every pass agrees"
    noisy = registry.get("monte-carlo-dropout").build(
        in_features=4, hidden=8, out_features=2, p=0.5, samples=50
    )
    out = noisy.eval()(x=x)
    assert (out["variance"] > 0).all(), "dropout stays on at test time, so passes differ"
    assert torch.allclose(out["mean"], out["samples"].mean(0)), "the predictive mean is the passes' average"


def test_variational_dropout_reuses_its_masks_at_every_step():
    module = registry.get("variational-dropout").build(input_size=3, hidden_size=4, p_input=0.5, p_hidden=0.5)
    x = torch.randn(2, 6, 3, generator=_gen())
    torch.manual_seed(1)
    out = module.train()(x=x)
    z_x, z_h = out["input_mask"], out["hidden_mask"]
    assert set(z_x.unique().tolist()) <= {0.0, 2.0}, "input mask is Bernoulli(1 − p)/(1 − p)"
    h, c = torch.zeros(2, 4), torch.zeros(2, 4)
    for t in range(6):
        h, c = module.cell(x[:, t] * z_x, (h * z_h, c))
        assert torch.allclose(out["output"][:, t], h, atol=1e-6), f"step {t} used other masks"


def test_adain_and_conditional_batch_norm():
    content = torch.randn(2, 3, 6, 6, generator=_gen(1)) * 3 + 1
    style = torch.randn(2, 3, 5, 5, generator=_gen(2)) * 0.5 - 2
    out = registry.get("adaptive-instance-normalization").build(eps=1e-8)(content=content, style=style)
    assert torch.allclose(out.mean(dim=(2, 3)), style.mean(dim=(2, 3)), atol=1e-5), (
        "AdaIN takes the style's μ"
    )
    assert torch.allclose(
        out.std(dim=(2, 3), unbiased=False), style.std(dim=(2, 3), unbiased=False), atol=1e-4
    ), "AdaIN takes the style's σ"
    cbn = registry.get("conditional-batch-normalization").build(num_features=3, condition_dim=2, hidden=4)
    x, e = torch.randn(4, 3, 5, 5, generator=_gen(3)), torch.randn(4, 2, generator=_gen(4))
    plain = F.batch_norm(x, None, None, training=True, eps=1e-5)
    assert torch.allclose(cbn(x=x, condition=e), plain, atol=1e-6), "Δγ = Δβ = 0 at the start: plain BN"
    with torch.no_grad():
        cbn.delta_beta[-1].bias.fill_(0.5)
    assert torch.allclose(cbn(x=x, condition=e), plain + 0.5, atol=1e-6), "β + Δβ shifts every channel"


def test_non_maximum_suppression_matches_a_greedy_loop():
    module = registry.get("non-maximum-suppression").build(iou_threshold=0.3, score_threshold=0.1)
    g = _gen()
    corners = torch.rand(30, 4, generator=g) * 20
    scores = torch.rand(30, generator=g)
    out = module(boxes=corners, scores=scores)
    boxes = [(min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])) for b in corners.tolist()]

    def iou(a, b):
        w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
        h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        inter = w * h
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
        return inter / union

    remaining = sorted((i for i in range(30) if scores[i] >= 0.1), key=lambda i: -scores[i])
    kept = set()
    while remaining:
        best = remaining.pop(0)
        kept.add(best)
        remaining = [i for i in remaining if iou(boxes[best], boxes[i]) < 0.3]
    assert set(torch.nonzero(out["keep"]).flatten().tolist()) == kept, "NMS differs from the greedy loop"


def test_discrete_cosine_transform_matches_the_sum_and_inverts():
    x = torch.randn(1, 1, 4, 6, generator=_gen(), dtype=torch.float64)
    out = registry.get("discrete-cosine-transform").build(orthonormal=True)(x=x)

    def s(k, n):
        return math.sqrt((1 if k == 0 else 2) / n)

    for u in range(4):
        for v in range(6):
            total = sum(
                x[0, 0, i, j].item()
                * math.cos(math.pi / 4 * (i + 0.5) * u)
                * math.cos(math.pi / 6 * (j + 0.5) * v)
                for i in range(4)
                for j in range(6)
            )
            got = out["coefficients"][0, 0, u, v].item()
            assert math.isclose(got, s(u, 4) * s(v, 6) * total, abs_tol=1e-5), f"X[{u}, {v}]"
    assert torch.allclose(out["reconstruction"], x, atol=1e-5), (
        "the orthonormal DCT is inverted by its transpose"
    )
    raw = registry.get("discrete-cosine-transform").build(orthonormal=False)(x=x)
    assert torch.allclose(raw["reconstruction"], x, atol=1e-4), "the unscaled DCT is inverted too"


def test_truncation_trick_bounds_and_keeps_inner_values():
    z = torch.randn(16, 32, generator=_gen())
    torch.manual_seed(0)
    out = registry.get("truncation-trick").build(threshold=0.5)(z=z)
    assert float(out["z"].abs().max()) <= 0.5, "every entry within [−ψ, ψ]"
    inside = ~out["resampled"]
    assert torch.equal(out["z"][inside], z[inside]), "entries already inside are kept"
    assert torch.equal(out["resampled"], z.abs() > 0.5), "exactly the outside entries are redrawn"


def test_weight_demodulation_matches_a_per_sample_convolution():
    module = registry.get("weight-demodulation").build(in_channels=3, out_channels=4, kernel_size=3, w_dim=5)
    x, w = torch.randn(2, 3, 6, 6, generator=_gen(1)), torch.randn(2, 5, generator=_gen(2))
    out = module(x=x, w=w)
    s = module.affine(w)
    for b in range(2):
        modulated = module.weight * s[b][None, :, None, None]
        demodulated = modulated / (modulated.pow(2).sum(dim=(1, 2, 3), keepdim=True) + 1e-8).sqrt()
        assert torch.allclose(demodulated.pow(2).sum(dim=(1, 2, 3)), torch.ones(4), atol=1e-5), "unit filters"
        want = F.conv2d(x[b : b + 1], demodulated, padding=1)
        assert torch.allclose(out[b : b + 1], want, atol=1e-5), f"sample {b}: conv with w'' = s·w/‖s·w‖"


def test_mixup_and_cutmix_mix_images_and_labels():
    images, labels = torch.rand(4, 3, 8, 8, generator=_gen()), torch.tensor([0, 1, 2, 3])
    torch.manual_seed(0)
    out = registry.get("mixup").build(alpha=0.4, num_classes=4, label_smoothing=0.0)(
        images=images, labels=labels
    )
    lam = out["lam"]
    assert 0 <= float(lam) <= 1, "λ ∈ [0, 1]"
    assert torch.allclose(out["images"], lam * images + (1 - lam) * images.flip(0)), "x̃ = λx_i + (1 − λ)x_j"
    assert torch.allclose(out["targets"][0], torch.tensor([lam, 0, 0, 1 - lam])), "ỹ = λy_i + (1 − λ)y_j"
    torch.manual_seed(3)
    out = registry.get("cutmix").build(alpha=1.0, num_classes=4, label_smoothing=0.0)(
        images=images, labels=labels
    )
    y1, y2, x1, x2 = out["box"].tolist()
    inside = torch.zeros(8, 8, dtype=torch.bool)
    inside[y1:y2, x1:x2] = True
    assert torch.equal(out["images"][..., inside], images.flip(0)[..., inside]), (
        "the box comes from the partner"
    )
    assert torch.equal(out["images"][..., ~inside], images[..., ~inside]), "outside the box stays"
    assert math.isclose(float(out["lam"]), 1 - inside.sum().item() / 64, rel_tol=1e-6), (
        "λ = 1 − box area / HW"
    )
    assert torch.allclose(out["targets"].sum(1), torch.ones(4)), "targets are distributions"


def test_image_augmentations():
    images = torch.rand(3, 3, 16, 16, generator=_gen())
    whole = registry.get("random-resized-crop").build(
        size=16, scale_min=1.0, scale_max=1.0, ratio_min=1.0, ratio_max=1.0
    )
    out = whole(images=images)
    assert torch.allclose(out["images"], images, atol=1e-6), (
        "a crop of the whole image at the same size is identity"
    )
    crops = registry.get("random-resized-crop").build(size=8)(images=images)
    areas = crops["boxes"][:, 2] * crops["boxes"][:, 3] / 256
    assert crops["images"].shape == (3, 3, 8, 8) and ((areas >= 0.07) & (areas <= 1)).all(), (
        "area fraction in scale"
    )
    jitter = registry.get("colorjitter").build(brightness=0.0, contrast=0.0, saturation=0.0)
    assert torch.allclose(jitter(images=images)["images"], images), "zero strengths change nothing"
    bright = registry.get("colorjitter").build(brightness=0.5, contrast=0.0, saturation=0.0)(images=images)
    f = bright["factors"][:, 0]
    assert torch.allclose(bright["images"], (f[:, None, None, None] * images).clamp(0, 1)), (
        "brightness: clamp(f·x)"
    )
    blur = registry.get("random-gaussian-blur").build(kernel_size=5, sigma_min=1.0, sigma_max=1.0, p=1.0)
    flat = torch.full((1, 3, 9, 9), 0.7)
    assert torch.allclose(blur(images=flat)["images"], flat), "blurring a constant image leaves it constant"
    from methods.impl.random_gaussian_blur import gaussian_kernel

    k = gaussian_kernel(5, 1.0)
    want = F.conv2d(
        F.pad(images[:1], (2, 2, 2, 2), mode="reflect"), torch.outer(k, k).expand(3, 1, 5, 5), groups=3
    )
    assert torch.allclose(blur(images=images[:1])["images"], want, atol=1e-6), (
        "separable blur = 2-D Gaussian conv"
    )
    none = registry.get("random-gaussian-blur").build(p=0.0)(images=images)
    assert torch.equal(none["images"], images) and not none["sigma"].any(), "p = 0 never blurs"
