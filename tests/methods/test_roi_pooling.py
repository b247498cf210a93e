"""RoIAlign, the box coder and box sampling of methods/impl/roi_pooling.py.

References: two loops written from the RoIAlign description of Mask R-CNN with the boundary rules
of the Detectron/torchvision kernels (samples beyond one pixel outside read zero, the rest are
clamped), one interpolating from the four neighbours and one by tent weights over the whole map;
properties of "aligned" sampling (a one-pixel box reads that pixel; a linear map reads its value at
each bin centre); R-CNN's regression targets (Appendix C) for the box coder.
"""

import itertools
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


def _tent_sample(plane: torch.Tensor, y: float, x: float) -> torch.Tensor:
    """Bilinear interpolation as a sum of tent weights over every pixel of plane [C, H, W].

    f(y, x) = sum_{h, w} max(0, 1 - |y - h|) max(0, 1 - |x - w|) F[h, w], at pixel-index coordinates;
    a sample more than one pixel outside the map reads zero, one less than a pixel outside is clamped
    onto the border (the kernels' boundary rule).
    """
    height, width = plane.shape[-2:]
    if not (-1.0 <= y <= height and -1.0 <= x <= width):
        return plane.new_zeros(plane.shape[0])
    y, x = min(max(y, 0.0), height - 1.0), min(max(x, 0.0), width - 1.0)
    rows = (1 - (y - torch.arange(height, dtype=plane.dtype)).abs()).clamp(min=0)
    cols = (1 - (x - torch.arange(width, dtype=plane.dtype)).abs()).clamp(min=0)
    return (plane * rows[:, None] * cols[None, :]).sum(dim=(-2, -1))


def _paper_roi_align(features, boxes, output_size, spatial_scale, sampling_ratio):
    """RoIAlign from Mask R-CNN, section 3: no rounding of the RoI or its bins; each bin averages
    `sampling_ratio`^2 regularly spaced bilinear samples. "Aligned": continuous coordinates, pixel i
    covering [i, i + 1), so a coordinate u reads pixel index u - 1/2."""
    batch, channels = features.shape[:2]
    out = features.new_zeros(batch, boxes.shape[1], channels, output_size, output_size)
    for b, r in itertools.product(range(batch), range(boxes.shape[1])):
        x1, y1, x2, y2 = (float(v) * spatial_scale for v in boxes[b, r])
        bin_h, bin_w = (y2 - y1) / output_size, (x2 - x1) / output_size
        for p, q in itertools.product(range(output_size), range(output_size)):
            points = [
                (y1 + (p + (i + 0.5) / sampling_ratio) * bin_h, x1 + (q + (j + 0.5) / sampling_ratio) * bin_w)
                for i, j in itertools.product(range(sampling_ratio), range(sampling_ratio))
            ]
            samples = [_tent_sample(features[b], y - 0.5, x - 0.5) for y, x in points]
            out[b, r, :, p, q] = torch.stack(samples).mean(dim=0)
    return out


@pytest.mark.parametrize(("output_size", "sampling_ratio"), [(4, 2), (2, 3)])
def test_roi_align_matches_the_papers_sampling_with_tent_interpolation(device, output_size, sampling_ratio):
    """Reference: Mask R-CNN's RoIAlign with interpolation written as tent weights over the whole map."""
    features, boxes = _test_case(device)
    got = roi_align(features, boxes, output_size, 0.5, sampling_ratio).cpu()
    want = _paper_roi_align(features.cpu(), boxes.cpu(), output_size, 0.5, sampling_ratio)
    assert torch.allclose(got, want, atol=1e-5), (
        f"roi_align({output_size}, s={sampling_ratio}) differs from the paper's sampling by "
        f"{(got - want).abs().max():.2e}"
    )


@pytest.mark.parametrize("spatial_scale", [1.0, 0.5, 0.25])
def test_aligned_roi_of_one_feature_pixel_reads_that_pixel(device, spatial_scale):
    """Property of "aligned" RoIAlign: the box of feature pixel (i, j) samples its centre, i.e. F[i, j]."""
    features = torch.randn(1, 2, 5, 6, generator=torch.Generator().manual_seed(4)).to(device)
    pixels = [(i, j) for i in range(5) for j in range(6)]
    size = 1 / spatial_scale
    boxes = torch.tensor([[[j * size, i * size, (j + 1) * size, (i + 1) * size] for i, j in pixels]])
    got = roi_align(features, boxes.to(device), 1, spatial_scale, 1)[0, :, :, 0, 0]
    want = torch.stack([features[0, :, i, j] for i, j in pixels])
    assert torch.allclose(got, want, atol=1e-6), f"one-pixel RoIs misread by {(got - want).abs().max():.2e}"


@pytest.mark.parametrize("sampling_ratio", [1, 2, 4])
def test_roi_align_of_a_linear_map_is_its_value_at_each_bin_centre(device, sampling_ratio):
    """Property: bilinear interpolation is exact on a linear map, and the samples of a bin are symmetric
    about its centre, so every bin reads a*y_c + b*x_c + c whatever the sampling ratio."""
    height, width, (a, b, c) = 12, 16, (0.5, -2.0, 3.0)
    ys, xs = torch.meshgrid(torch.arange(height) + 0.5, torch.arange(width) + 0.5, indexing="ij")
    features = (a * ys + b * xs + c)[None, None].to(device)
    box = torch.tensor([[[2.3, 1.7, 13.9, 10.2]]])
    got = roi_align(features, box.to(device), 3, 1.0, sampling_ratio)[0, 0, 0].cpu()
    x1, y1, x2, y2 = box[0, 0].tolist()
    centres = torch.arange(3) + 0.5
    y_c, x_c = y1 + centres * (y2 - y1) / 3, x1 + centres * (x2 - x1) / 3
    want = a * y_c[:, None] + b * x_c[None, :] + c
    assert torch.allclose(got, want, atol=1e-4), f"bins of a linear map off by {(got - want).abs().max():.2e}"


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
