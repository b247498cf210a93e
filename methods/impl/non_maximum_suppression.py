"""Non-maximum suppression (NMS), one detection per object out of many overlapping ones.

Paper: Efficient Non-Maximum Suppression (Neubeck & Van Gool, ICPR 2006) -
https://doi.org/10.1109/ICPR.2006.479

Greedy NMS, as in torchvision's `ops.nms`: discard boxes scoring below a
threshold, then repeatedly keep the highest-scoring remaining box and discard
every other box whose intersection over union with it is at least `iou_threshold`
(0.5 in the catalog's description, 0.7 for Faster R-CNN proposals). Boxes are
(x1, y1, x2, y2); the corners of each example box are sorted so any four
numbers make a valid box. The output is a fixed-size mask rather than a list of
indices so that its shape does not depend on the data.

Shapes: `forward(boxes: [N, 4], scores: [N]) -> {"keep": [N] bool, "kept_scores": [N], "iou": [N, N]}`.
"""

from __future__ import annotations

import torch
from torch import nn


def box_iou(boxes: torch.Tensor) -> torch.Tensor:
    """[N, N] intersection over union of (x1, y1, x2, y2) boxes."""
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    top_left = torch.maximum(boxes[:, None, :2], boxes[None, :, :2])
    bottom_right = torch.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    inter = (bottom_right - top_left).clamp_min(0).prod(dim=-1)
    return inter / (area[:, None] + area[None, :] - inter).clamp_min(1e-12)


class NonMaximumSuppression(nn.Module):
    """Greedy NMS over boxes above `score_threshold`, by descending score."""

    def __init__(self, iou_threshold: float = 0.5, score_threshold: float = 0.0) -> None:
        super().__init__()
        self.iou_threshold, self.score_threshold = iou_threshold, score_threshold

    def forward(self, boxes: torch.Tensor, scores: torch.Tensor) -> dict[str, torch.Tensor]:
        """boxes: [N, 4] corners (sorted into x1 ≤ x2, y1 ≤ y2); scores: [N] confidences."""
        boxes = torch.cat(
            [torch.minimum(boxes[:, :2], boxes[:, 2:]), torch.maximum(boxes[:, :2], boxes[:, 2:])], dim=1
        )
        iou = box_iou(boxes)
        keep = torch.zeros(len(scores), dtype=torch.bool, device=scores.device)
        suppressed = scores < self.score_threshold
        for i in torch.argsort(scores, descending=True, stable=True).tolist():
            if suppressed[i]:
                continue
            # keep the best remaining box, discard those overlapping it by IoU ≥ threshold
            keep[i] = True
            suppressed = suppressed | (iou[i] >= self.iou_threshold)
        return {"keep": keep, "kept_scores": torch.where(keep, scores, torch.zeros_like(scores)), "iou": iou}
