"""Region-based Fully Convolutional Network (R-FCN): detection with position-sensitive score maps.

Paper: R-FCN: Object Detection via Region-based Fully Convolutional Networks -
https://arxiv.org/abs/1605.06409

Fast/Faster R-CNN run a per-region subnetwork hundreds of times. R-FCN shares almost all
computation: the last convolution outputs $k^2 (C + 1)$ position-sensitive score maps, one bank of
$C + 1$ maps for each cell $(i, j)$ of a $k \\times k$ grid ("top-left", ..., "bottom-right").
Position-sensitive RoI pooling splits each RoI into $k \\times k$ bins and lets bin $(i, j)$
average only its own bank (eq. 1):

$$ r_c(i, j) = \\frac{1}{n} \\sum_{(x, y) \\in \\mathrm{bin}(i, j)} z_{i, j, c}(x + x_0, y + y_0), $$

so a high score needs every part of the object in the right place. The $k^2$ bin scores vote by
averaging, $r_c = \\frac{1}{k^2} \\sum_{i,j} r_c(i, j)$, and a softmax over the $C + 1$ classes
gives $s_c = e^{r_c} / \\sum_{c'} e^{r_{c'}}$. A sibling convolution with $4 k^2$ maps is pooled the
same way into a class-agnostic box offset $t = (t_x, t_y, t_w, t_h)$. There is no learnable layer
after the RoI.

Bins follow the released code: box corners are rounded to image pixels, the end pixel inclusive,
then scaled to the feature map; bin $(i, j)$ covers $[\\lfloor i\\,b \\rfloor, \\lceil (i+1)\\,b \\rceil)$
rows past the RoI start; empty bins give 0. Toy version: a stride-4 convolutional backbone (with
the paper's randomly initialized 1x1 reduction layer) instead of ResNet-101, proposals from the
`proposals` input (sorted uniform samples scaled to the image) instead of an RPN.

Shapes: `forward(image: [B, 3, H, W], proposals: [B, R, 4] in [0, 1]) -> {"scores": [B, R, C+1],
"probs": [B, R, C+1], "deltas": [B, R, 4], "boxes": [B, R, 4]}`; boxes are $(x_1, y_1, x_2, y_2)$
in pixels. Hyperparameters: `num_classes` = $C$, `group_size` = $k$.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.roi_pooling import boxes_from_uniform, clip_boxes, decode_boxes, quantized_bins

BACKBONE_STRIDE = 4
# target normalization of the box branch (sigma of (t_x, t_y, t_w, t_h)) in the released code
BOX_STDS = (0.1, 0.1, 0.2, 0.2)


def position_sensitive_roi_pool(
    score_maps: torch.Tensor, boxes: torch.Tensor, group_size: int, spatial_scale: float
) -> torch.Tensor:
    """Average-pool bin (i, j) of each RoI from its own group of maps (eq. 1).

    score_maps: [B, D k^2, H, W] with channel (d k + i) k + j the map z_{i,j,d};
    boxes: [B, R, 4] in image pixels (non-negative) -> [B, R, D, k, k].
    """
    batch, channels, height, width = score_maps.shape
    k = group_size
    # round the corners to pixels (half up); the end pixel is inclusive
    x1, y1, x2, y2 = (boxes + 0.5).floor().unbind(-1)
    rows = quantized_bins(y1 * spatial_scale, (y2 + 1) * spatial_scale, k, height).to(score_maps.dtype)
    cols = quantized_bins(x1 * spatial_scale, (x2 + 1) * spatial_scale, k, width).to(score_maps.dtype)
    maps = score_maps.view(batch, channels // (k * k), k, k, height, width)
    # sum_{(x, y) in bin(i, j)} z_{i,j,d}(x, y)
    sums = torch.einsum("brih,bdijhw,brjw->brdij", rows, maps, cols)
    # n = |bin(i, j)|; an empty bin pools to 0
    counts = rows.sum(-1)[..., :, None] * cols.sum(-1)[..., None, :]
    return sums / counts.clamp(min=1)[:, :, None]


class RFCN(nn.Module):
    """Shared backbone, position-sensitive score and box maps, PS RoI pooling, average voting.

    `num_classes` is C, `group_size` k; `channels` sizes the toy backbone.
    """

    def __init__(self, num_classes: int = 4, channels: int = 32, group_size: int = 3) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, channels, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(channels, channels, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding=1),
            nn.ReLU(),
            # the paper's randomly initialized 1x1 layer on top of the classification network
            nn.Conv2d(channels, channels, 1),
            nn.ReLU(),
        )
        self.group_size = group_size
        # k^2 (C + 1) position-sensitive score maps and 4 k^2 box maps
        self.score_maps = nn.Conv2d(channels, group_size**2 * (num_classes + 1), 1)
        self.box_maps = nn.Conv2d(channels, group_size**2 * 4, 1)

    def forward(self, image: torch.Tensor, proposals: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W]; proposals: [B, R, 4] samples in [0, 1] (sorted and scaled into boxes)
        -> scores r_c [B, R, C+1], probs s_c [B, R, C+1], deltas t [B, R, 4], boxes [B, R, 4]."""
        height, width = image.shape[-2:]
        features = self.backbone(image)
        boxes = boxes_from_uniform(proposals, height, width)
        scale = 1.0 / BACKBONE_STRIDE
        bin_scores = position_sensitive_roi_pool(self.score_maps(features), boxes, self.group_size, scale)
        bin_deltas = position_sensitive_roi_pool(self.box_maps(features), boxes, self.group_size, scale)
        # r_c = (1 / k^2) sum_{i,j} r_c(i, j): average voting (likewise for the box offsets)
        scores, deltas = bin_scores.mean((-2, -1)), bin_deltas.mean((-2, -1))
        return {
            "scores": scores,
            # s_c = exp(r_c) / sum_c' exp(r_c')
            "probs": scores.softmax(-1),
            "deltas": deltas,
            "boxes": clip_boxes(decode_boxes(boxes, deltas, BOX_STDS), height, width),
        }
