"""R-CNN: context-padded warping, per-region independence and class-specific box regression.

References: the paper's warping rule (p pixels of context around the box at the warped size, Sec. 2.1
and Appendix A), the fact that each region's features come from its own warped pixels only, and
the regression equations of Appendix C written out per element.
"""

import torch

from methods import registry
from methods.impl.r_cnn import dilate_for_context
from methods.impl.roi_pooling import roi_align


def test_warp_leaves_exactly_p_pixels_of_context(device):
    """Reference: Sec. 2.1; warped to S = 16 with p = 2, the box fills the central 12 x 12 pixels."""
    image = torch.zeros(1, 3, 64, 64, device=device)
    image[..., 16:48, 8:56] = 1.0
    box = torch.tensor([[[8.0, 16.0, 56.0, 48.0]]], device=device)
    warped = roi_align(image, dilate_for_context(box, 16, 2), 16, spatial_scale=1.0, sampling_ratio=1)[
        0, 0, 0
    ]
    want = torch.zeros(16, 16, device=device)
    want[2:14, 2:14] = 1.0
    assert torch.allclose(warped, want, atol=1e-6), f"warped box mask:\n{warped}"


def _build(device):
    torch.manual_seed(0)
    entry = registry.get("R-CNN")
    model = entry.build().to(device).eval()
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=1).items()}
    return model, inputs


def test_pixels_outside_every_region_do_not_matter(device):
    """Property: features are extracted from each warped region alone, so pixels outside all
    (context-dilated) proposals leave every score unchanged, while pixels inside one change it."""
    model, inputs = _build(device)
    with torch.no_grad():
        out = model(**inputs)
        context = dilate_for_context(out["boxes"], 16, 2)
        ys = torch.arange(64, device=device, dtype=torch.float32)[:, None]
        xs = torch.arange(64, device=device, dtype=torch.float32)[None, :]
        # pixel i sits at i + 1/2, so the bilinear neighbours of samples in [x1, x2] lie in [x1 - 3/2, x2 + 1/2]
        inside = torch.zeros(2, 64, 64, dtype=torch.bool, device=device)
        for b in range(2):
            for x1, y1, x2, y2 in context[b].tolist():
                inside[b] |= (xs >= x1 - 1.5) & (xs <= x2 + 0.5) & (ys >= y1 - 1.5) & (ys <= y2 + 0.5)
        noise = torch.randn(inputs["image"].shape, generator=torch.Generator().manual_seed(5)).to(device)
        outside_changed = model(inputs["image"] + noise * (~inside)[:, None], inputs["proposals"])
        inside_changed = model(inputs["image"] + noise * inside[:, None], inputs["proposals"])
    assert (~inside).any(), "test needs some pixels outside the proposals"
    assert torch.allclose(outside_changed["scores"], out["scores"], atol=1e-5), (
        "pixels outside all regions matter"
    )
    assert torch.allclose(outside_changed["deltas"], out["deltas"], atol=1e-5), (
        "regression sees outside pixels"
    )
    assert not torch.allclose(inside_changed["scores"], out["scores"], atol=1e-3), (
        "region pixels do not matter"
    )


def test_refined_boxes_follow_appendix_c(device):
    """Reference: G_x = P_w d_x + P_x, G_y = P_h d_y + P_y, G_w = P_w exp(d_w), G_h = P_h exp(d_h), per class."""
    model, inputs = _build(device)
    with torch.no_grad():
        out = model(**inputs)
    boxes, deltas, refined = out["boxes"].cpu(), out["deltas"].cpu(), out["refined_boxes"].cpu()
    for b in range(2):
        for r in range(8):
            x1, y1, x2, y2 = boxes[b, r].tolist()
            pw, ph = x2 - x1, y2 - y1
            px, py = x1 + pw / 2, y1 + ph / 2
            for c in range(4):
                dx, dy, dw, dh = deltas[b, r, c].tolist()
                gx, gy = pw * dx + px, ph * dy + py
                gw, gh = pw * torch.tensor(dw).exp().item(), ph * torch.tensor(dh).exp().item()
                want = torch.tensor([gx - gw / 2, gy - gh / 2, gx + gw / 2, gy + gh / 2])
                assert torch.allclose(refined[b, r, c], want, atol=1e-4), f"refined box {b},{r},{c}"
