"""Deformable, masked, coordinate, standardized and separable convolutions, axial and relative attention,
random erasing, Soft-NMS, Lookahead and SWA: loops from their papers and invariants."""

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


def test_deformable_convolution_with_zero_offsets_is_a_convolution():
    module = (
        registry.get("deformable-convolution").build(in_channels=3, out_channels=4, kernel_size=3).double()
    )
    x = torch.randn(2, 3, 7, 7, generator=_gen(), dtype=torch.float64)
    out = module(x=x)
    assert torch.equal(out["offsets"], torch.zeros(2, 18, 7, 7, dtype=torch.float64)), "offsets start at zero"
    assert torch.allclose(out["output"], F.conv2d(x, module.weight, module.bias, padding=1)), (
        "regular grid: conv"
    )
    with torch.no_grad():
        module.offset.bias.copy_(
            torch.tensor([0.0, 1.0] * 9, dtype=torch.float64)
        )  # every tap one pixel right
    shifted = module(x=x)["output"]
    want = F.conv2d(F.pad(x[..., 1:], (0, 1)), module.weight, module.bias, padding=1)
    assert torch.allclose(shifted[..., 1:-2], want[..., 1:-2]), "an offset of +1 in x reads the next column"


def test_masked_convolution_is_causal_in_raster_order():
    module = registry.get("masked-convolution").build(
        in_channels=1, out_channels=2, kernel_size=5, mask_type="A"
    )
    x = torch.randn(1, 1, 6, 6, generator=_gen())
    base = module(x=x)
    for (i, j), visible in (
        ((2, 1), True),
        ((1, 4), True),
        ((3, 3), False),
        ((4, 2), False),
        ((3, 4), False),
        ((3, 2), True),
        ((2, 3), True),
    ):
        moved = x.clone()
        moved[0, 0, i, j] += 5.0
        changed = not torch.allclose(module(x=moved)[0, :, 3, 3], base[0, :, 3, 3])
        assert changed == visible, f"output (3, 3) {'should' if visible else 'must not'} see pixel ({i}, {j})"
    b = registry.get("masked-convolution").build(in_channels=1, out_channels=2, kernel_size=5, mask_type="B")
    assert b.mask[2, 2] == 1 and module.mask[2, 2] == 0, "mask B keeps the centre, mask A drops it"


def test_coordconv_weight_standardization_and_separable_convolution():
    cc = (
        registry.get("coordconv")
        .build(in_channels=1, out_channels=2, kernel_size=1, with_radius=True)
        .double()
    )
    x = torch.zeros(1, 1, 3, 5, dtype=torch.float64)
    with torch.no_grad():
        cc.conv.weight.zero_()
        cc.conv.weight[0, 2] = 1.0  # read the column channel
        cc.conv.bias.zero_()
    assert torch.allclose(cc(x=x)[0, 0, 1], torch.linspace(-1, 1, 5, dtype=torch.float64)), (
        "j scaled to [−1, 1]"
    )
    ws = registry.get("weight-standardization").build(in_channels=3, out_channels=4, kernel_size=3).double()
    w = ws.standardized_weight()
    assert torch.allclose(w.mean(dim=(1, 2, 3)), torch.zeros(4, dtype=torch.float64), atol=1e-12), (
        "μ(Ŵ_i) = 0"
    )
    assert torch.allclose(
        w.std(dim=(1, 2, 3), unbiased=False), torch.ones(4, dtype=torch.float64), atol=1e-3
    ), "σ ≈ 1 (ε = 1e-5 aside)"
    sep = (
        registry.get("spatially-separable-convolution")
        .build(in_channels=2, out_channels=3, kernel_size=3)
        .double()
    )
    x = torch.randn(1, 2, 6, 6, generator=_gen(), dtype=torch.float64)
    # the composition equals one 3×3 convolution whose kernel is Σ_m h[o, m] ⊗ v[m, i]
    v, h = sep.vertical.weight[:, :, :, 0], sep.horizontal.weight[:, :, 0, :]
    kernel = torch.einsum("omx,miy->oiyx", h, v)
    want = F.conv2d(x, kernel, sep.horizontal.bias, padding=1)
    assert torch.allclose(sep(x=x), want), "k×1 then 1×k is a rank-limited k×k convolution"


def test_axial_attention_attends_along_rows_then_columns():
    module = registry.get("axial-attention").build(dim=4, num_heads=1).eval()
    x = torch.randn(1, 3, 4, 4, generator=_gen())
    out = module(x=x)
    assert torch.allclose(out["row_weights"].sum(-1), torch.ones(3, 4)), "row weights sum to 1"
    moved = x.clone()
    moved[0, 2, 3] += 5.0
    after = module(x=moved)["output"]
    assert not torch.allclose(after[0, 0, 0], out["output"][0, 0, 0]), "two axial steps reach every position"
    rows_only = module.rows(x.reshape(3, 4, 4), x.reshape(3, 4, 4), x.reshape(3, 4, 4))[0]
    moved_rows = module.rows(moved.reshape(3, 4, 4), moved.reshape(3, 4, 4), moved.reshape(3, 4, 4))[0]
    assert torch.allclose(rows_only[0], moved_rows[0]), "the row step alone stays within a row"


def test_relative_position_attention_matches_a_loop():
    module = registry.get("relative-position-encodings").build(dim=4, max_distance=2).double()
    x = torch.randn(1, 5, 4, generator=_gen(), dtype=torch.float64)
    out = module(x=x)
    q, k, v = module.q(x)[0], module.key(x)[0], module.v(x)[0]
    for i in range(5):
        a_k = [module.rel_key.weight[max(-2, min(2, j - i)) + 2] for j in range(5)]
        a_v = [module.rel_value.weight[max(-2, min(2, j - i)) + 2] for j in range(5)]
        e = torch.stack([q[i] @ (k[j] + a_k[j]) / 2 for j in range(5)])
        alpha = e.softmax(0)
        z = sum(alpha[j] * (v[j] + a_v[j]) for j in range(5))
        assert torch.allclose(out["output"][0, i], z), f"z_{i} = Σ α_ij (v_j + a^V_ij)"


def test_random_erasing_and_soft_nms():
    images = torch.rand(8, 3, 16, 16, generator=_gen())
    torch.manual_seed(0)
    out = registry.get("random-erasing").build(p=1.0, scale_min=0.1, scale_max=0.2, ratio=0.5)(images=images)
    area = out["mask"].flatten(1).sum(1) / 256
    assert ((area > 0.05) & (area < 0.25)).all(), f"erased area fractions {area.tolist()}"
    kept = out["mask"] == 0
    assert torch.equal(out["images"][kept.expand_as(images)], images[kept.expand_as(images)]), (
        "the rest is kept"
    )
    none = registry.get("random-erasing").build(p=0.0)(images=images)
    assert torch.equal(none["images"], images), "p = 0 erases nothing"
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [20.0, 20.0, 30.0, 30.0]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    out = registry.get("soft-nms").build(method="linear", iou_threshold=0.3)(boxes=boxes, scores=scores)
    iou = 81 / (100 + 100 - 81)
    assert torch.allclose(out["scores"], torch.tensor([0.9, 0.8 * (1 - iou), 0.7])), (
        "linear: s·(1 − iou) above N_t"
    )
    out = registry.get("soft-nms").build(method="gaussian", sigma=0.5)(boxes=boxes, scores=scores)
    assert math.isclose(float(out["scores"][1]), 0.8 * math.exp(-(iou**2) / 0.5), rel_tol=1e-5), (
        "gaussian decay"
    )
    assert out["keep"].all(), "Soft-NMS keeps overlapping boxes, with lower scores"


def test_lookahead_and_swa_follow_their_updates():
    w = torch.tensor([1.0, -2.0], dtype=torch.float64)
    p = torch.nn.Parameter(w.clone())
    optimizer = registry.get("lookahead").build([p], lr=0.1, momentum=0.0, k=2, alpha=0.5)
    grads = [torch.tensor([1.0, 1.0], dtype=torch.float64), torch.tensor([0.5, -1.0], dtype=torch.float64)]
    for g in grads:
        p.grad = g.clone()
        optimizer.step()
    fast = w - 0.1 * grads[0] - 0.1 * grads[1]
    assert torch.allclose(p.detach(), w + 0.5 * (fast - w)), "after k steps: φ ← φ + α(θ_k − φ), θ ← φ"
    torch.manual_seed(0)
    out = registry.get("stochastic-weight-averaging").build(
        swa_lr=0.1, steps=12, start=4, every=4, noise=0.0
    )(weight=torch.zeros(2, 2))
    assert out["losses"].shape == (12,) and out["losses"][-1] < out["losses"][0], (
        "SGD descends the toy objective"
    )
    # without noise the trajectory is deterministic: recompute the iterates averaged at steps 4 and 8
    theta, points = torch.nn.Parameter(torch.zeros(2, 2)), []
    from methods.outputs import toy_objective

    for step in range(12):
        loss = toy_objective(theta)
        (grad,) = torch.autograd.grad(loss, theta)
        with torch.no_grad():
            theta -= 0.1 * grad
        if step >= 4 and (step - 4) % 4 == 0:
            points.append(theta.detach().clone())
    assert torch.allclose(out["swa_weight"], torch.stack(points).mean(0), atol=1e-6), (
        "w_SWA is the running mean"
    )
