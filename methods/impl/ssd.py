"""SSD (Single Shot MultiBox Detector): class scores and box offsets for default boxes on several feature maps, in one pass.

Paper: SSD: Single Shot MultiBox Detector - https://arxiv.org/abs/1512.02325

A truncated base network is followed by extra convolutional layers whose maps shrink
progressively; each of $m$ chosen maps gets 3x3 convolutional predictors producing, for each of the
$k$ default boxes at every cell, $c + 1$ class scores and 4 offsets. Default boxes of map $k$
have scale

$$s_k = s_{min} + \\frac{s_{max} - s_{min}}{m - 1} (k - 1), \\quad k \\in [1, m]$$

and aspect ratios $a_r \\in \\{1, 2, 1/2\\}$ (width $s_k \\sqrt{a_r}$, height $s_k / \\sqrt{a_r}$),
plus an extra square box of scale $\\sqrt{s_k s_{k+1}}$, centred at $((i + 0.5)/|f_k|, (j + 0.5)/|f_k|)$
in normalized coordinates. Offsets are decoded with variances (0.1, 0.2). Demo: a four-layer base
(stride 8) and three maps instead of VGG-16 and six maps; ratios {1, 2, 1/2} give $k$ = 4.

Shapes: `forward(image: [B, 3, H, W])` -> `{"class_logits": [B, D, c + 1], "box_offsets": [B, D,
4], "default_boxes": [D, 4]}` with $D = \\sum_k |f_k|^2 \\cdot 4$ and default boxes as normalized
$(c_x, c_y, w, h)$.

Hyperparameters: `num_classes` $c$ (20 on VOC; 4 here), `channels` (base width; 16), `s_min`
(0.2), `s_max` (0.9), `maps` $m$ (6; 3).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from methods.impl.blocks import ConvNormAct

RATIOS = (2.0, 0.5)


def default_boxes(sizes: list[int], s_min: float, s_max: float) -> torch.Tensor:
    """Normalized (cx, cy, w, h) default boxes, map by map, cell by cell, 2 + len(RATIOS) per cell."""
    m = len(sizes)
    scales = [s_min + (s_max - s_min) * k / max(m - 1, 1) for k in range(m)] + [1.0]
    boxes = []
    for k, f in enumerate(sizes):
        s, s_next = scales[k], scales[k + 1]
        shapes = [(s, s), (math.sqrt(s * s_next),) * 2] + [
            (s * math.sqrt(a), s / math.sqrt(a)) for a in RATIOS
        ]
        for i in range(f):
            for j in range(f):
                cx, cy = (j + 0.5) / f, (i + 0.5) / f
                boxes += [(cx, cy, w, h) for w, h in shapes]
    return torch.tensor(boxes)


class SSD(nn.Module):
    """Base network, extra downsampling layers, and per-map 3x3 class and offset predictors."""

    boxes_per_cell = 2 + len(RATIOS)

    def __init__(
        self, num_classes: int = 4, channels: int = 16, s_min: float = 0.2, s_max: float = 0.9, maps: int = 3
    ) -> None:
        super().__init__()
        self.num_classes, self.s_min, self.s_max = num_classes, s_min, s_max
        self.base = nn.Sequential(
            ConvNormAct(3, channels, 3, 2),
            ConvNormAct(channels, channels, 3, 2),
            ConvNormAct(channels, 2 * channels, 3, 2),
        )
        self.extras = nn.ModuleList(
            nn.Sequential(ConvNormAct(2 * channels, channels, 1), ConvNormAct(channels, 2 * channels, 3, 2))
            for _ in range(maps - 1)
        )
        k = self.boxes_per_cell
        self.cls = nn.ModuleList(
            nn.Conv2d(2 * channels, k * (num_classes + 1), 3, padding=1) for _ in range(maps)
        )
        self.loc = nn.ModuleList(nn.Conv2d(2 * channels, k * 4, 3, padding=1) for _ in range(maps))

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> class logits and offsets per default box, and the default boxes."""
        x = self.base(image)
        maps = [x]
        for extra in self.extras:
            x = extra(x)
            maps.append(x)
        b = image.shape[0]
        cls = [
            c(f).permute(0, 2, 3, 1).reshape(b, -1, self.num_classes + 1)
            for c, f in zip(self.cls, maps, strict=True)
        ]
        loc = [r(f).permute(0, 2, 3, 1).reshape(b, -1, 4) for r, f in zip(self.loc, maps, strict=True)]
        priors = default_boxes([f.shape[-1] for f in maps], self.s_min, self.s_max).to(image.device)
        return {"class_logits": torch.cat(cls, 1), "box_offsets": torch.cat(loc, 1), "default_boxes": priors}
