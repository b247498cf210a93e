"""Cascade R-CNN: a sequence of detection heads, each trained on the boxes refined by the one before.

Paper: Cascade R-CNN: Delving into High Quality Object Detection - https://arxiv.org/abs/1712.00726

A single detector trained at IoU threshold $u = 0.5$ makes noisy boxes, and one trained at a high
threshold overfits because few proposals reach it. Cascade R-CNN chains $T = 3$ heads
$h_1, h_2, h_3$ (trained at $u = 0.5, 0.6, 0.7$): stage $t$ pools the features inside the boxes
$b^{t-1}$ from the stage before, predicts class scores $c^t$ and a class-agnostic regression
$f_t$, and hands on the refined boxes

$$ f(x, b) = f_T \\circ f_{T-1} \\circ \\cdots \\circ f_1(x, b), \\qquad
b^t = \\mathrm{decode}(b^{t-1}, \\sigma_t \\odot \\delta^t). $$

The regression targets are normalized by their standard deviations $\\sigma_t$, which shrink
stage by stage as the boxes get better: $(0.1, 0.1, 0.2, 0.2)$, $(0.05, 0.05, 0.1, 0.1)$,
$(0.033, 0.033, 0.067, 0.067)$ for $(\\delta_x, \\delta_y, \\delta_w, \\delta_h)$. The boxes
entering each stage are fixed inputs to it (no gradient flows back through them), as in training,
where they are resampled proposals. At inference the class probability is the ensemble of all
stages' classifiers applied to the final boxes.

Toy version: a two-conv stride-4 backbone instead of ResNet/FPN, proposals from the `proposals`
input (sorted uniform samples scaled to the image) instead of an RPN; RoIAlign as in the paper's
FPN+ baseline.

Shapes: `forward(image: [B, 3, H, W], proposals: [B, R, 4] in [0, 1]) -> {"stage_scores":
[B, T, R, N+1], "stage_boxes": [B, T, R, 4], "probs": [B, R, N+1], "boxes": [B, R, 4]}`; boxes
are $(x_1, y_1, x_2, y_2)$ in pixels. Hyperparameters: `num_classes` = $N$, `pool_size` = RoI
output size, `sampling_ratio` = bilinear samples per bin side.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.roi_pooling import boxes_from_uniform, clip_boxes, decode_boxes, roi_align

# sigma_t of stages 1, 2, 3
STAGE_STDS: tuple[tuple[float, float, float, float], ...] = (
    (0.1, 0.1, 0.2, 0.2),
    (0.05, 0.05, 0.1, 0.1),
    (0.033, 0.033, 0.067, 0.067),
)
BACKBONE_STRIDE = 4


class CascadeStage(nn.Module):
    """Head h_t: two fully connected layers, then N + 1 class scores and a class-agnostic box regression."""

    def __init__(self, in_features: int, hidden: int, num_classes: int) -> None:
        super().__init__()
        self.fc = nn.Sequential(
            nn.Flatten(2), nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.classifier = nn.Linear(hidden, num_classes + 1)
        self.regressor = nn.Linear(hidden, 4)

    def forward(self, pooled: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """pooled: [B, R, C, P, P] -> scores c^t: [B, R, N+1], normalized deltas delta^t: [B, R, 4]."""
        hidden = self.fc(pooled)
        return self.classifier(hidden), self.regressor(hidden)


class CascadeRCNN(nn.Module):
    """Backbone, RoIAlign and three cascaded heads.

    `num_classes` is N; `channels` and `hidden` size the toy backbone and heads.
    """

    def __init__(
        self,
        num_classes: int = 4,
        channels: int = 16,
        pool_size: int = 7,
        sampling_ratio: int = 2,
        hidden: int = 64,
    ) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, channels, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(channels, channels, 3, stride=2, padding=1),
            nn.ReLU(),
        )
        self.pool_size, self.sampling_ratio = pool_size, sampling_ratio
        self.stages = nn.ModuleList(
            CascadeStage(channels * pool_size**2, hidden, num_classes) for _ in STAGE_STDS
        )

    def pool(self, features: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        """features: [B, C, H/4, W/4]; boxes: [B, R, 4] in image pixels -> [B, R, C, P, P]."""
        return roi_align(features, boxes, self.pool_size, 1.0 / BACKBONE_STRIDE, self.sampling_ratio)

    def forward(self, image: torch.Tensor, proposals: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W]; proposals: [B, R, 4] samples in [0, 1] (sorted and scaled into boxes)
        -> stage_scores [B, T, R, N+1], stage_boxes [B, T, R, 4], probs [B, R, N+1], boxes [B, R, 4]."""
        height, width = image.shape[-2:]
        features = self.backbone(image)
        boxes = boxes_from_uniform(proposals, height, width)
        stage_scores, stage_boxes = [], []
        for stage, stds in zip(self.stages, STAGE_STDS, strict=True):
            # b^{t-1} is a fixed input of stage t
            boxes = boxes.detach()
            scores, deltas = stage(self.pool(features, boxes))
            # b^t = decode(b^{t-1}, sigma_t * delta^t), kept inside the image
            boxes = clip_boxes(decode_boxes(boxes, deltas, stds), height, width)
            stage_scores.append(scores)
            stage_boxes.append(boxes)
        # ensemble: mean over stages of p^t = softmax(h_t(x, b^T))
        final = self.pool(features, boxes.detach())
        probs = torch.stack([stage(final)[0].softmax(-1) for stage in self.stages]).mean(0)
        return {
            "stage_scores": torch.stack(stage_scores, dim=1),
            "stage_boxes": torch.stack(stage_boxes, dim=1),
            "probs": probs,
            "boxes": boxes,
        }
