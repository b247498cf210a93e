"""RetinaNet: a one-stage detector - ResNet + FPN with class and box subnets, trained with focal loss.

Paper: Focal Loss for Dense Object Detection - https://arxiv.org/abs/1708.02002

An FPN over the backbone gives pyramid levels $P_3$-$P_7$ ($P_6$ a 3x3 stride-2 conv on $C_5$,
$P_7$ another after ReLU). Two small FCNs shared across levels run on every level: the
classification subnet (four 3x3 conv-ReLU layers of 256 filters, then a 3x3 conv with $KA$
sigmoid outputs) and the box subnet (the same, ending in $4A$ offsets), for $A$ = 9 anchors per
position (3 scales x 3 ratios). The class subnet's last bias is $b = -\\log((1 - \\pi) / \\pi)$ with
$\\pi$ = 0.01, so every anchor starts with foreground probability ~0.01 and the many easy negatives
do not swamp the first iterations; focal loss $-(1 - p_t)^\\gamma \\log p_t$ handles the rest in
training. Follows torchvision's `RetinaNet` heads. Demo: a three-stage conv backbone and
levels $P_3$-$P_5$ plus $P_6$ (`extra_levels` = 1).

Shapes: `forward(image: [B, 3, H, W])` -> `{"cls_logits": [B, A_total, K], "box_deltas": [B,
A_total, 4], "anchors": [A_total, 4]}`, $A_total$ summing $H_l W_l A$ over levels.

Hyperparameters: `num_classes` $K$ (80 on COCO; 4 here), `channels` (256; 16), `head_convs` (4;
2), `extra_levels` (2: P6, P7; 1), `prior` $\\pi$ (0.01), `anchor_size` (32 at P3, doubling).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from methods.impl.anchors import grid_anchors
from methods.impl.blocks import ConvNormAct
from methods.impl.fpn import FPN

RATIOS = (0.5, 1.0, 2.0)
SCALES = (1.0, 2 ** (1 / 3), 2 ** (2 / 3))


def _subnet(channels: int, convs: int, out: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for _ in range(convs):
        layers += [nn.Conv2d(channels, channels, 3, padding=1), nn.ReLU()]
    return nn.Sequential(*layers, nn.Conv2d(channels, out, 3, padding=1))


class RetinaNet(nn.Module):
    """Backbone C3-C5, FPN P3-P5 plus extra strided levels, shared class and box subnets."""

    def __init__(
        self,
        num_classes: int = 4,
        channels: int = 16,
        head_convs: int = 2,
        extra_levels: int = 1,
        prior: float = 0.01,
        anchor_size: float = 16.0,
    ) -> None:
        super().__init__()
        self.num_classes, self.anchor_size = num_classes, anchor_size
        widths = (8, 16, 32, 64)
        self.stem = nn.Sequential(ConvNormAct(3, widths[0], 3, 2), ConvNormAct(widths[0], widths[0], 3, 2))
        self.stages = nn.ModuleList(ConvNormAct(widths[i], widths[i + 1], 3, 2) for i in range(3))
        self.fpn = FPN(widths[1:], channels)
        self.extra = nn.ModuleList(
            nn.Conv2d(widths[-1] if i == 0 else channels, channels, 3, 2, 1) for i in range(extra_levels)
        )
        a = len(RATIOS) * len(SCALES)
        self.cls_subnet = _subnet(channels, head_convs, num_classes * a)
        self.box_subnet = _subnet(channels, head_convs, 4 * a)
        for layer in (*self.cls_subnet, *self.box_subnet):
            if isinstance(layer, nn.Conv2d):
                # the paper's head init: weights N(0, 0.01), biases 0
                nn.init.normal_(layer.weight, std=0.01)
                nn.init.zeros_(layer.bias)
        # b = -log((1 - pi) / pi): sigmoid(b) = pi for every anchor at the start
        nn.init.constant_(self.cls_subnet[-1].bias, -math.log((1 - prior) / prior))

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> per-anchor class logits and box offsets over all levels, and the anchors."""
        x = self.stem(image)
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        levels = self.fpn.pyramid(features)
        extra = features[-1]
        for i, conv in enumerate(self.extra):
            extra = conv(extra if i == 0 else torch.relu(extra))
            levels.append(extra)
        b = image.shape[0]
        cls, box, anchors = [], [], []
        for level, p in enumerate(levels):
            stride = 2 ** (level + 3)
            size = self.anchor_size * 2**level
            cls.append(self.cls_subnet(p).permute(0, 2, 3, 1).reshape(b, -1, self.num_classes))
            box.append(self.box_subnet(p).permute(0, 2, 3, 1).reshape(b, -1, 4))
            anchors.append(
                grid_anchors(*p.shape[-2:], stride, tuple(size * s for s in SCALES), RATIOS, p.device)
            )
        return {
            "cls_logits": torch.cat(cls, 1),
            "box_deltas": torch.cat(box, 1),
            "anchors": torch.cat(anchors),
        }
