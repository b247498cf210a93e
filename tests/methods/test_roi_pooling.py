"""RoIAlign, the box coder and box sampling of methods/impl/roi_pooling.py.

References: a scalar loop written from the RoIAlign description of Mask R-CNN with the boundary
rules of the Detectron/torchvision kernels (samples beyond one pixel outside read zero, the rest are
clamped); torchvision.ops.roi_align where torchvision is installed; R-CNN's regression targets
(Appendix C) for the box coder.
"""

import math

import pytest
import torch

from methods.impl.roi_pooling import boxes_from_uniform, decode_boxes, roi_align


def _bilinear(plane: torch.Tensor, y: float, x: float) -> torch.Tensor:
    """One bilinear sample of plane [C, H, W] at pixel-index coordinates (y, x), torchvision's rules."""
    height, width = plane.shape[-2:]
    if y < -1.0 or y > height or x < -1.0 or x > width:
        return plane.new_zeros(plane.shape[0])
    y, x = max(y, 0.0), max(x, 0.0)
    y_low, x_low = int(y), int(x)
    if y_low >= height - 1:
        y_low = y_high = height - 1
        y = float(y_low)
    else:
        y_high = y_low + 1
    if x_low >= width - 1:
        x_low = x_high = width - 1
        x = float(x_low)
    else:
        x_high = x_low + 1
    ly, lx = y - y_low, x - x_low
    hy, hx = 1 - ly, 1 - lx
    return (
        hy * hx * plane[:, y_low, x_low]
        + hy * lx * plane[:, y_low, x_high]
        + ly * hx * plane[:, y_high, x_low]
        + ly * lx * plane[:, y_high, x_high]
    )


def _naive_roi_align(features, boxes, output_size, spatial_scale, sampling_ratio):
    batch, channels = features.shape[:2]
    regions = boxes.shape[1]
    out = features.new_zeros(batch, regions, channels, output_size, output_size)
    for b in range(batch):
        for r in range(regions):
            x1, y1, x2, y2 = (float(v) * spatial_scale - 0.5 for v in boxes[b, r])
            bin_h, bin_w = (y2 - y1) / output_size, (x2 - x1) / output_size
            for p in range(output_size):
                for q in range(output_size):
                    total = features.new_zeros(channels)
                    for iy in range(sampling_ratio):
                        y = y1 + p * bin_h + (iy + 0.5) * bin_h / sampling_ratio
                        for ix in range(sampling_ratio):
                            x = x1 + q * bin_w + (ix + 0.5) * bin_w / sampling_ratio
                            total = total + _bilinear(features[b], y, x)
                    out[b, r, :, p, q] = total / sampling_ratio**2
    return out


def _test_case(device):
    generator = torch.Generator().manual_seed(3)
    features = torch.randn(2, 3, 7, 9, generator=generator)
    # image is 14 x 18 at scale 1/2; the last boxes reach past the border and below -1 feature pixel
    boxes = torch.tensor(
        [
            [[1.0, 2.0, 12.5, 9.0], [0.0, 0.0, 18.0, 14.0], [15.0, 11.0, 22.0, 19.0]],
            [[3.3, 4.1, 5.2, 6.9], [-6.0, -5.0, 4.0, 3.0], [7.0, 1.0, 7.4, 13.0]],
        ]
    )
    return features.to(device), boxes.to(device)


@pytest.mark.parametrize("sampling_ratio", [1, 2])
def test_roi_align_matches_naive_bilinear_loop(device, sampling_ratio):
    """Reference: per-bin, per-sample scalar bilinear interpolation (Mask R-CNN, torchvision's rules)."""
    features, boxes = _test_case(device)
    got = roi_align(features, boxes, 3, 0.5, sampling_ratio)
    want = _naive_roi_align(features.cpu(), boxes.cpu(), 3, 0.5, sampling_ratio)
    assert got.shape == (2, 3, 3, 3, 3), f"roi_align shape {tuple(got.shape)}"
    assert torch.allclose(got.cpu(), want, atol=1e-5), (
        f"roi_align differs from the naive loop by {(got.cpu() - want).abs().max():.2e}"
    )


def test_roi_align_matches_torchvision(device):
    """Reference: torchvision.ops.roi_align(aligned=True), where torchvision is installed."""
    ops = pytest.importorskip("torchvision.ops")
    features, boxes = _test_case(device)
    got = roi_align(features, boxes, 4, 0.5, 2)
    indices = torch.arange(2, device=device, dtype=boxes.dtype).repeat_interleave(3)[:, None]
    rois = torch.cat((indices, boxes.flatten(0, 1)), dim=1)
    want = ops.roi_align(features, rois, 4, spatial_scale=0.5, sampling_ratio=2, aligned=True).view_as(got)
    assert torch.allclose(got, want, atol=1e-5), (
        f"roi_align differs from torchvision by {(got - want).abs().max():.2e}"
    )


def test_decode_inverts_rcnn_regression_targets(device):
    """Reference: R-CNN's targets t_x = (G_x - P_x) / P_w, t_w = log(G_w / P_w) (Appendix C), normalized by sigma."""
    generator = torch.Generator().manual_seed(0)
    proposals = boxes_from_uniform(torch.rand(5, 4, generator=generator), 40, 60).to(device)
    targets = boxes_from_uniform(torch.rand(5, 4, generator=generator), 40, 60).to(device)
    stds = (0.1, 0.1, 0.2, 0.2)
    pw, ph = proposals[:, 2] - proposals[:, 0], proposals[:, 3] - proposals[:, 1]
    px, py = proposals[:, 0] + pw / 2, proposals[:, 1] + ph / 2
    gw, gh = targets[:, 2] - targets[:, 0], targets[:, 3] - targets[:, 1]
    gx, gy = targets[:, 0] + gw / 2, targets[:, 1] + gh / 2
    t = torch.stack(((gx - px) / pw, (gy - py) / ph, (gw / pw).log(), (gh / ph).log()), dim=-1)
    decoded = decode_boxes(proposals, t / t.new_tensor(stds), stds)
    assert torch.allclose(decoded, targets, atol=1e-4), (
        f"decode(P, t(P, G)) != G, max error {(decoded - targets).abs().max():.2e}"
    )


def test_decode_clamps_log_scale(device):
    """Property: a huge d_w cannot overflow; the width grows by at most 1000 / 16 (Detectron's clip)."""
    boxes = torch.tensor([[0.0, 0.0, 2.0, 2.0]], device=device)
    decoded = decode_boxes(boxes, torch.tensor([[0.0, 0.0, 1e4, 1e4]], device=device))
    width = float(decoded[0, 2] - decoded[0, 0])
    assert math.isfinite(width) and abs(width - 2 * 1000 / 16) < 1e-3, f"clamped width {width}"


def test_boxes_from_uniform_are_valid_and_inside(device):
    """Property: sorted corners, inside the image, and the extreme samples map to the image corners."""
    samples = torch.rand(3, 6, 4, generator=torch.Generator().manual_seed(1)).to(device)
    boxes = boxes_from_uniform(samples, 30, 50)
    assert (boxes[..., 2] >= boxes[..., 0]).all() and (boxes[..., 3] >= boxes[..., 1]).all(), (
        "corners unsorted"
    )
    assert boxes.min() >= 0 and (boxes[..., 0::2] <= 50).all() and (boxes[..., 1::2] <= 30).all(), (
        "box outside"
    )
    corners = boxes_from_uniform(torch.tensor([1.0, 1.0, 0.0, 0.0], device=device), 30, 50)
    assert corners.tolist() == [0.0, 0.0, 50.0, 30.0], f"full-image box {corners.tolist()}"
