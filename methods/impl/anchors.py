"""Anchor boxes and greedy non-maximum suppression, shared by the anchor-based detectors.

Paper: Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks -
https://arxiv.org/abs/1506.01497 (anchors, Section 3.1.1; NMS on proposals, Section 3.3)

At each position of a stride-$s$ feature map, $k$ anchors are centred on the cell centre
$((x + \\tfrac12) s, (y + \\tfrac12) s)$, one per (scale, aspect ratio) pair, with width
$w = \\mathrm{scale} \\cdot \\sqrt{1 / r}$ and height $h = \\mathrm{scale} \\cdot \\sqrt{r}$ so that
$h / w = r$ and $w h = \\mathrm{scale}^2$. Greedy NMS keeps the highest-scoring box, drops every
box whose IoU with it exceeds the threshold, and repeats.

Shapes: `grid_anchors(...)` -> `[H * W * k, 4]` as $(x_1, y_1, x_2, y_2)$ in image pixels, ordered
position-major (all $k$ anchors of cell 0, then cell 1, ...), the layout of a `[B, k * 4, H, W]`
head once permuted to `[B, H, W, k, 4]`.
"""

from __future__ import annotations

import math

import torch


def grid_anchors(
    height: int, width: int, stride: int, scales: tuple[float, ...], ratios: tuple[float, ...], device=None
) -> torch.Tensor:
    """Anchors of a height x width map of the given stride -> [H * W * k, 4], k = len(scales) * len(ratios)."""
    shapes = torch.tensor(
        [[s * math.sqrt(1 / r), s * math.sqrt(r)] for s in scales for r in ratios], device=device
    )
    ys, xs = torch.meshgrid(
        (torch.arange(height, device=device) + 0.5) * stride,
        (torch.arange(width, device=device) + 0.5) * stride,
        indexing="ij",
    )
    centres = torch.stack((xs, ys), dim=-1).reshape(-1, 1, 2)
    half = shapes[None] / 2
    return torch.cat((centres - half, centres + half), dim=-1).reshape(-1, 4)


def box_iou(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pairwise IoU of (x1, y1, x2, y2) boxes: a [N, 4], b [M, 4] -> [N, M]."""
    area_a = (a[:, 2] - a[:, 0]).clamp(min=0) * (a[:, 3] - a[:, 1]).clamp(min=0)
    area_b = (b[:, 2] - b[:, 0]).clamp(min=0) * (b[:, 3] - b[:, 1]).clamp(min=0)
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (bottom_right - top_left).clamp(min=0).prod(-1)
    return inter / (area_a[:, None] + area_b[None] - inter).clamp(min=1e-9)


def greedy_nms(boxes: torch.Tensor, scores: torch.Tensor, threshold: float) -> torch.Tensor:
    """Indices of the boxes [N, 4] that survive greedy NMS, by decreasing score."""
    order = scores.argsort(descending=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool, device=boxes.device)
    for i in range(len(order)):
        if keep[i]:
            # suppress later (lower-scoring) boxes overlapping the kept one
            keep[i + 1 :] &= iou[i, i + 1 :] <= threshold
    return order[keep]


def top_after_nms(boxes: torch.Tensor, scores: torch.Tensor, threshold: float, count: int) -> torch.Tensor:
    """Exactly `count` indices: the NMS survivors by score, then (if too few) the suppressed boxes by score.

    A fixed count keeps a batch rectangular; Faster R-CNN's implementation pads in the same spirit.
    """
    kept = greedy_nms(boxes, scores, threshold)
    rest = scores.argsort(descending=True)
    rest = rest[~torch.isin(rest, kept)]
    return torch.cat((kept, rest))[:count]
