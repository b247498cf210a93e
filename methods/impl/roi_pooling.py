"""Region-of-interest pooling and box coding in plain PyTorch, shared by the region-based detectors.

Paper: Mask R-CNN (RoIAlign) - https://arxiv.org/abs/1703.06870 ; the box coder is R-CNN's
(Rich feature hierarchies for accurate object detection and semantic segmentation, Appendix C) -
https://arxiv.org/abs/1311.2524

R-CNN, Cascade R-CNN and R-FCN all read a fixed-size grid of values out of an arbitrary box and
refine boxes by predicted offsets. This file holds the pieces they share:

- `boxes_from_uniform`: samples in $[0, 1]$ -> valid $(x_1, y_1, x_2, y_2)$ boxes inside an image,
  so an entry can take unconstrained inputs.
- `roi_align`: RoIAlign with the half-pixel offset ("aligned" RoIAlign of Detectron2): each of the
  $P \\times P$ bins averages $s \\times s$ bilinear samples, and no coordinate is rounded. Bilinear
  sampling is separable, so a bin is an outer product of a row-weight vector and a column-weight
  vector, and the whole pooling is one `einsum` over the feature map.
- `quantized_bins`: the integer bin boundaries of (position-sensitive) RoI pooling,
  $[\\lfloor p\\,b \\rfloor, \\lceil (p+1)\\,b \\rceil)$ with bin size $b$, as 0/1 masks.
- `decode_boxes`: R-CNN's box coder, $\\hat G_x = P_w d_x + P_x$, $\\hat G_w = P_w \\exp(d_w)$
  (and the same for $y, h$), with the per-coordinate standard deviations $\\sigma$ that
  Fast R-CNN / Cascade R-CNN normalize the regression targets by.

Shapes: `roi_align(features: [B, C, H, W], boxes: [B, R, 4]) -> [B, R, C, P, P]`; boxes are
$(x_1, y_1, x_2, y_2)$ in image pixels, continuous coordinates (pixel $i$ covers $[i, i+1)$).
"""

from __future__ import annotations

import math

import torch

# Largest log-scale change a decoded box may take (Detectron's bbox_xform_clip), so exp() cannot overflow.
MAX_LOG_SCALE = math.log(1000.0 / 16)


def boxes_from_uniform(samples: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Boxes inside an `height` x `width` image from samples in [0, 1].

    samples: [..., 4] -> boxes: [..., 4] as (x1, y1, x2, y2); the two x samples are sorted
    (likewise the two y samples) and scaled to the image size.
    """
    xs = samples[..., 0::2].sort(dim=-1).values * width
    ys = samples[..., 1::2].sort(dim=-1).values * height
    return torch.stack((xs[..., 0], ys[..., 0], xs[..., 1], ys[..., 1]), dim=-1)


def clip_boxes(boxes: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Clamp (x1, y1, x2, y2) boxes [..., 4] to the image."""
    x1, y1, x2, y2 = boxes.unbind(-1)
    return torch.stack(
        (x1.clamp(0, width), y1.clamp(0, height), x2.clamp(0, width), y2.clamp(0, height)), dim=-1
    )


def decode_boxes(
    boxes: torch.Tensor, deltas: torch.Tensor, stds: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
) -> torch.Tensor:
    """Apply regression offsets to boxes (R-CNN, Appendix C).

    boxes: [..., 4] as (x1, y1, x2, y2); deltas: [..., 4] as normalized (d_x, d_y, d_w, d_h),
    broadcastable against boxes -> [..., 4] as (x1, y1, x2, y2).
    """
    widths = boxes[..., 2] - boxes[..., 0]
    heights = boxes[..., 3] - boxes[..., 1]
    centre_x = boxes[..., 0] + 0.5 * widths
    centre_y = boxes[..., 1] + 0.5 * heights
    # d = d' * sigma: undo the target normalization (the mean is zero)
    dx, dy, dw, dh = (deltas * deltas.new_tensor(stds)).unbind(-1)
    # G_x = P_w d_x + P_x,  G_y = P_h d_y + P_y
    pred_x = widths * dx + centre_x
    pred_y = heights * dy + centre_y
    # G_w = P_w exp(d_w),  G_h = P_h exp(d_h)
    pred_w = widths * dw.clamp(max=MAX_LOG_SCALE).exp()
    pred_h = heights * dh.clamp(max=MAX_LOG_SCALE).exp()
    return torch.stack(
        (pred_x - 0.5 * pred_w, pred_y - 0.5 * pred_h, pred_x + 0.5 * pred_w, pred_y + 0.5 * pred_h), dim=-1
    )


def _bilinear_bin_weights(
    start: torch.Tensor, size: torch.Tensor, output_size: int, sampling_ratio: int, length: int
) -> torch.Tensor:
    """Per-bin interpolation weights along one axis.

    start, size: [B, R] (the RoI's first coordinate and its extent, in feature pixels, with the
    half-pixel offset already applied) -> [B, R, P, length]; row p holds, for every feature index,
    the mean over the bin's `sampling_ratio` samples of that index's linear-interpolation weight.
    """
    bins = torch.arange(output_size, device=start.device, dtype=start.dtype)
    steps = (torch.arange(sampling_ratio, device=start.device, dtype=start.dtype) + 0.5) / sampling_ratio
    # sample u = start + (p + (i + 1/2) / s) * bin_size,  bin_size = size / P
    coords = start[..., None, None] + (bins[:, None] + steps) * (size / output_size)[..., None, None]
    # samples more than one pixel outside the map contribute zero; the others are clamped into it
    inside = (coords >= -1.0) & (coords <= length)
    coords = coords.clamp(0, length - 1)
    low = coords.floor()
    high = (low + 1).clamp(max=length - 1)
    frac = coords - low
    grid = torch.arange(length, device=start.device, dtype=start.dtype)
    # linear interpolation: weight (1 - frac) on the low neighbour, frac on the high one
    weights = (1 - frac)[..., None] * (grid == low[..., None]) + frac[..., None] * (grid == high[..., None])
    return (weights * inside[..., None]).mean(dim=-2)


def roi_align(
    features: torch.Tensor,
    boxes: torch.Tensor,
    output_size: int,
    spatial_scale: float,
    sampling_ratio: int,
) -> torch.Tensor:
    """RoIAlign (aligned, half-pixel offset) with `sampling_ratio` x `sampling_ratio` samples per bin.

    features: [B, C, H, W]; boxes: [B, R, 4] in image pixels; `spatial_scale` maps image pixels to
    feature pixels (1 / stride) -> [B, R, C, output_size, output_size].
    """
    height, width = features.shape[-2:]
    scaled = boxes * spatial_scale - 0.5
    x1, y1, x2, y2 = scaled.unbind(-1)
    rows = _bilinear_bin_weights(y1, y2 - y1, output_size, sampling_ratio, height)
    cols = _bilinear_bin_weights(x1, x2 - x1, output_size, sampling_ratio, width)
    # out[b, r, c, p, q] = sum_{h, w} rows[b, r, p, h] * features[b, c, h, w] * cols[b, r, q, w]
    return torch.einsum("brph,bchw,brqw->brcpq", rows.to(features.dtype), features, cols.to(features.dtype))


def quantized_bins(start: torch.Tensor, end: torch.Tensor, output_size: int, length: int) -> torch.Tensor:
    """0/1 masks of the integer bins of RoI pooling along one axis.

    start, end: [B, R] RoI extent in feature pixels -> [B, R, P, length]; bin p covers the indices
    [floor(start + p b), ceil(start + (p + 1) b)) clipped to the map, with b = max(end - start, 0.1) / P.
    """
    bin_size = (end - start).clamp(min=0.1) / output_size
    bins = torch.arange(output_size, device=start.device, dtype=start.dtype)
    first = (start[..., None] + bins * bin_size[..., None]).floor().clamp(0, length)
    last = (start[..., None] + (bins + 1) * bin_size[..., None]).ceil().clamp(0, length)
    grid = torch.arange(length, device=start.device, dtype=start.dtype)
    return ((grid >= first[..., None]) & (grid < last[..., None])).to(start.dtype)
