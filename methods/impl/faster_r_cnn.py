"""Faster R-CNN: a two-stage detector whose region proposals come from an RPN sharing the backbone.

Paper: Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks -
https://arxiv.org/abs/1506.01497

Stage one, the Region Proposal Network (`methods.impl.rpn`), scores anchors on the shared
convolutional features and turns the best into proposals. Stage two is Fast R-CNN: each proposal's
features are pooled to a fixed $P \\times P$ grid (RoIAlign here, the later Mask R-CNN refinement of
RoI pooling, from `methods.impl.roi_pooling`), passed through two fully connected layers, and two
sibling layers output $K + 1$ class scores (background included) and per-class box offsets
$(t_x, t_y, t_w, t_h)$ relative to the proposal. The demo backbone is three stride-2 conv-BN-ReLU
layers (stride 8) instead of VGG-16 / ResNet; proposals are a fixed count per image.

Shapes: `forward(image: [B, 3, H, W])` -> `{"objectness": [B, A], "rpn_deltas": [B, A, 4],
"proposals": [B, N, 4], "class_logits": [B, N, K + 1], "box_deltas": [B, N, K + 1, 4]}`, with
$A = (H / 8)(W / 8) k$ anchors.

Hyperparameters: `num_classes` $K$ (20 on VOC; 4 here), `channels` (512; 32), `proposals` $N$
(300 at test; 16), `pool_size` $P$ (7), `sampling_ratio` (2), `hidden` (4,096 / 1,024; 64).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct
from methods.impl.roi_pooling import roi_align
from methods.impl.rpn import RPN


def tiny_backbone(channels: int) -> nn.Sequential:
    """Three stride-2 3x3 conv-BN-ReLU layers: [B, 3, H, W] -> [B, channels, H / 8, W / 8]."""
    return nn.Sequential(
        ConvNormAct(3, channels // 2, 3, 2),
        ConvNormAct(channels // 2, channels, 3, 2),
        ConvNormAct(channels, channels, 3, 2),
    )


class FasterRCNN(nn.Module):
    """Backbone, RPN, RoIAlign over the proposals, two-FC box head with class and box outputs."""

    stride = 8

    def __init__(
        self,
        num_classes: int = 4,
        channels: int = 32,
        proposals: int = 16,
        pool_size: int = 7,
        sampling_ratio: int = 2,
        hidden: int = 64,
    ) -> None:
        super().__init__()
        self.pool_size, self.sampling_ratio, self.num_classes = pool_size, sampling_ratio, num_classes
        self.backbone = tiny_backbone(channels)
        self.rpn = RPN(channels, self.stride, pre_nms_top_n=4 * proposals, post_nms_top_n=proposals)
        self.box_head = nn.Sequential(
            nn.Flatten(2),
            nn.Linear(channels * pool_size**2, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
        )
        self.cls_score = nn.Linear(hidden, num_classes + 1)
        self.bbox_pred = nn.Linear(hidden, 4 * (num_classes + 1))

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> RPN outputs, N proposals, their class logits and per-class box offsets."""
        features = self.backbone(image)
        rpn = self.rpn(features)
        proposals = rpn["proposals"]
        pooled = roi_align(features, proposals, self.pool_size, 1 / self.stride, self.sampling_ratio)
        h = self.box_head(pooled)
        b, n = proposals.shape[:2]
        return {
            "objectness": rpn["objectness"],
            "rpn_deltas": rpn["deltas"],
            "proposals": proposals,
            "class_logits": self.cls_score(h),
            "box_deltas": self.bbox_pred(h).view(b, n, self.num_classes + 1, 4),
            "features": features,
        }
