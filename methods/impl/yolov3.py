"""YOLOv3: a Darknet-53 detector predicting boxes at three scales from anchor priors, with independent logistic classes.

Paper: YOLOv3: An Incremental Improvement - https://arxiv.org/abs/1804.02767

The Darknet-53 backbone (`methods.impl.darknet_53`) gives maps at strides 32, 16 and 8. Each
scale's head is a few conv layers ending in a 1x1 convolution with $3 (4 + 1 + C)$ outputs: for
each of 3 anchor priors, box terms $t_x, t_y, t_w, t_h$, an objectness logit and $C$ class logits
(sigmoid, not softmax, so labels may overlap). Coarser heads are upsampled 2x and concatenated
with the finer backbone map (an FPN-like path). A box is decoded from its cell $(c_x, c_y)$ and
prior $(p_w, p_h)$ as

$$b_x = \\sigma(t_x) + c_x, \\; b_y = \\sigma(t_y) + c_y, \\; b_w = p_w e^{t_w}, \\; b_h = p_h e^{t_h}$$

(times the stride for pixels). The nine COCO priors, from k-means on the training boxes, are
scaled to the demo image by `anchor_scale`. Follows the reference `yolov3.cfg` layout at reduced
width and depth.

Shapes: `forward(image: [B, 3, H, W])` -> `{"p3": [B, 3, H/8, W/8, 5 + C], "p4": [B, 3, H/16,
W/16, 5 + C], "p5": [B, 3, H/32, W/32, 5 + C], "boxes": [B, P, 4], "scores": [B, P, C]}`:
raw predictions per scale, then all $P$ decoded $(c_x, c_y, w, h)$ boxes in pixels and class
confidences $\\sigma(\\mathrm{obj}) \\sigma(\\mathrm{cls})$.

Hyperparameters: `num_classes` $C$ (80; 4 here), `width_div` (backbone; 8), `anchor_scale` (1.0
is the 416-pixel priors; 0.25 here for 64-pixel images).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.darknet_53 import Darknet53, conv

# COCO priors (w, h) in pixels for a 416 input, smallest first: three per scale (stride 8, 16, 32)
ANCHORS = ((10, 13), (16, 30), (33, 23), (30, 61), (62, 45), (59, 119), (116, 90), (156, 198), (373, 326))


class YOLOv3(nn.Module):
    """Darknet-53 features, three detection heads with top-down concatenation, box decoding."""

    def __init__(self, num_classes: int = 4, width_div: int = 8, anchor_scale: float = 0.25) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.backbone = Darknet53(width_div, 1, 0)
        c3, c4, c5 = self.backbone.widths[2:]
        out = 3 * (5 + num_classes)
        self.neck5 = nn.Sequential(conv(c5, c5 // 2, 1), conv(c5 // 2, c5, 3), conv(c5, c5 // 2, 1))
        self.head5 = nn.Sequential(conv(c5 // 2, c5, 3), nn.Conv2d(c5, out, 1))
        self.lateral5 = conv(c5 // 2, c4 // 2, 1)
        self.neck4 = nn.Sequential(conv(c4 + c4 // 2, c4 // 2, 1), conv(c4 // 2, c4, 3), conv(c4, c4 // 2, 1))
        self.head4 = nn.Sequential(conv(c4 // 2, c4, 3), nn.Conv2d(c4, out, 1))
        self.lateral4 = conv(c4 // 2, c3 // 2, 1)
        self.neck3 = nn.Sequential(conv(c3 + c3 // 2, c3 // 2, 1), conv(c3 // 2, c3, 3))
        self.head3 = nn.Conv2d(c3, out, 1)
        self.register_buffer(
            "anchors", torch.tensor(ANCHORS, dtype=torch.float32).view(3, 3, 2) * anchor_scale
        )

    def decode(
        self, raw: torch.Tensor, stride: int, anchors: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """raw: [B, 3, H, W, 5 + C] -> boxes [B, 3 H W, 4] (cx, cy, w, h in pixels), scores [B, 3 H W, C]."""
        h, w = raw.shape[2:4]
        ys, xs = torch.meshgrid(
            torch.arange(h, device=raw.device), torch.arange(w, device=raw.device), indexing="ij"
        )
        # b_x = sigma(t_x) + c_x, b_y = sigma(t_y) + c_y, in cells, then pixels
        centre = (raw[..., :2].sigmoid() + torch.stack((xs, ys), -1)) * stride
        # b_w = p_w exp(t_w), b_h = p_h exp(t_h)
        size = anchors[None, :, None, None] * raw[..., 2:4].clamp(max=10).exp()
        scores = raw[..., 4:5].sigmoid() * raw[..., 5:].sigmoid()
        b = raw.shape[0]
        return torch.cat((centre, size), -1).reshape(b, -1, 4), scores.reshape(b, -1, self.num_classes)

    def _shape(self, x: torch.Tensor) -> torch.Tensor:
        b, _, h, w = x.shape
        return x.view(b, 3, 5 + self.num_classes, h, w).permute(0, 1, 3, 4, 2)

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> raw predictions at strides 8, 16, 32 and the decoded boxes and scores."""
        f3, f4, f5 = self.backbone.features(image)
        n5 = self.neck5(f5)
        p5 = self._shape(self.head5(n5))
        n4 = self.neck4(torch.cat((F.interpolate(self.lateral5(n5), scale_factor=2.0), f4), 1))
        p4 = self._shape(self.head4(n4))
        n3 = self.neck3(torch.cat((F.interpolate(self.lateral4(n4), scale_factor=2.0), f3), 1))
        p3 = self._shape(self.head3(n3))
        decoded = [
            self.decode(p, s, self.anchors[i]) for i, (p, s) in enumerate(((p3, 8), (p4, 16), (p5, 32)))
        ]
        return {
            "p3": p3,
            "p4": p4,
            "p5": p5,
            "boxes": torch.cat([d[0] for d in decoded], 1),
            "scores": torch.cat([d[1] for d in decoded], 1),
        }
