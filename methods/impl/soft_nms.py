"""Soft-NMS, decaying the scores of overlapping detections instead of removing them.

Paper: Soft-NMS — Improving Object Detection With One Line of Code - https://arxiv.org/abs/1704.04503

Greedy non-maximum suppression deletes every box overlapping the current best
M by IoU ≥ N_t, which loses objects that truly overlap. Soft-NMS keeps them
with a lower score: after M is selected, every remaining box b_i is rescored
s_i ← s_i · f(iou(M, b_i)), either linearly, f = 1 − iou when iou ≥ N_t, or with
the Gaussian f = exp(−iou²/σ) (σ = 0.5 in the paper); boxes whose score falls
below a small threshold are dropped at the end. See also Non Maximum Suppression.

Shapes: `forward(boxes: [N, 4], scores: [N]) -> {"scores": [N], "keep": [N] bool}`.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

from methods.impl.non_maximum_suppression import box_iou


class SoftNMS(nn.Module):
    """Selects boxes by decaying score; f = exp(−iou²/σ) (gaussian) or 1 − iou above N_t (linear)."""

    def __init__(
        self,
        method: Literal["gaussian", "linear"] = "gaussian",
        sigma: float = 0.5,
        iou_threshold: float = 0.3,
        score_threshold: float = 0.001,
    ) -> None:
        super().__init__()
        self.method, self.sigma, self.iou_threshold, self.score_threshold = (
            method,
            sigma,
            iou_threshold,
            score_threshold,
        )

    def forward(self, boxes: torch.Tensor, scores: torch.Tensor) -> dict[str, torch.Tensor]:
        """boxes: [N, 4] corners (sorted into x1 ≤ x2, y1 ≤ y2); scores: [N] -> rescored [N] and kept [N]."""
        boxes = torch.cat(
            [torch.minimum(boxes[:, :2], boxes[:, 2:]), torch.maximum(boxes[:, :2], boxes[:, 2:])], 1
        )
        iou = box_iou(boxes)
        rescored = scores.clone()
        remaining = torch.ones(len(scores), dtype=torch.bool, device=scores.device)
        for _ in range(len(scores)):
            best = int(torch.where(remaining, rescored, torch.full_like(rescored, -1.0)).argmax())
            remaining[best] = False
            overlap = iou[best]
            if self.method == "gaussian":
                decay = torch.exp(-(overlap**2) / self.sigma)
            else:
                decay = torch.where(overlap >= self.iou_threshold, 1 - overlap, torch.ones_like(overlap))
            # s_i ← s_i f(iou(M, b_i)) for the boxes not yet selected
            rescored = torch.where(remaining, rescored * decay, rescored)
        return {"scores": rescored, "keep": rescored >= self.score_threshold}
