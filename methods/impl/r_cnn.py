"""R-CNN (Regions with CNN features): classify warped region proposals with a CNN.

Paper: Rich feature hierarchies for accurate object detection and semantic segmentation -
https://arxiv.org/abs/1311.2524

R-CNN takes about 2000 class-agnostic region proposals per image (selective search), warps the
pixels of each proposal, whatever its aspect ratio, to the CNN's fixed input size, and runs the
CNN on every warped region independently. Before warping, the tight box is dilated so that $p$
pixels of context surround it at the warped size: a box of width $w$ becomes
$w \\cdot S / (S - 2p)$ wide for a warped size $S$. The fc7 features score the $N$ classes plus
background; a class-specific linear regressor on the pool5 features predicts offsets
$d = (d_x, d_y, d_w, d_h)$ that move proposal $P$ to
$\\hat G_x = P_w d_x + P_x$, $\\hat G_y = P_h d_y + P_y$, $\\hat G_w = P_w e^{d_w}$,
$\\hat G_h = P_h e^{d_h}$ (Appendix C).

Toy version: proposals come from the `proposals` input (sorted uniform samples scaled to the
image) rather than selective search; a two-conv CNN with two fully connected layers stands in for
AlexNet; the warp is bilinear (RoIAlign with one sample per output pixel on the image), and pixels
beyond the image read as zero, i.e. the image mean of a mean-subtracted input, as in the paper;
the $N + 1$ scores are the fine-tuned softmax layer's logits (the paper trains per-class SVMs on
fc7 afterwards).

Shapes: `forward(image: [B, 3, H, W], proposals: [B, R, 4] in [0, 1]) -> {"scores": [B, R, N+1],
"deltas": [B, R, N, 4], "boxes": [B, R, 4], "refined_boxes": [B, R, N, 4]}`; boxes are
$(x_1, y_1, x_2, y_2)$ in pixels. Hyperparameters: `num_classes` = $N$, `warp_size` = $S$
(227 in the paper), `context_padding` = $p$ (16 in the paper).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.roi_pooling import boxes_from_uniform, decode_boxes, roi_align


def dilate_for_context(boxes: torch.Tensor, warp_size: int, context_padding: int) -> torch.Tensor:
    """Grow boxes [..., 4] about their centres so that, warped to S pixels, p pixels of context surround them."""
    centre = 0.5 * (boxes[..., :2] + boxes[..., 2:])
    # the tight box fills S - 2p of the S warped pixels
    half = 0.5 * (boxes[..., 2:] - boxes[..., :2]) * warp_size / (warp_size - 2 * context_padding)
    return torch.cat((centre - half, centre + half), dim=-1)


class RCNN(nn.Module):
    """Warp each proposal, extract CNN features, score N + 1 classes and regress class-specific boxes.

    `num_classes` is N, `warp_size` S, `context_padding` p; `channels` and `hidden` size the toy CNN.
    """

    def __init__(
        self,
        num_classes: int = 4,
        warp_size: int = 16,
        context_padding: int = 2,
        channels: int = 16,
        hidden: int = 64,
    ) -> None:
        super().__init__()
        if warp_size <= 2 * context_padding:
            raise ValueError(
                f"warp_size ({warp_size}) must exceed twice the context padding ({context_padding})"
            )
        self.num_classes, self.warp_size, self.context_padding = num_classes, warp_size, context_padding
        # conv layers up to "pool5"
        self.conv = nn.Sequential(
            nn.Conv2d(3, channels, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(channels, 2 * channels, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
        )
        pool5 = 2 * channels * (warp_size // 4) ** 2
        # "fc6" and "fc7"
        self.fc = nn.Sequential(nn.Linear(pool5, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.classifier = nn.Linear(hidden, num_classes + 1)
        # one 4-vector regressor per object class, on pool5 features
        self.bbox_regressor = nn.Linear(pool5, 4 * num_classes)

    def forward(self, image: torch.Tensor, proposals: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W]; proposals: [B, R, 4] samples in [0, 1] (sorted and scaled into boxes)
        -> scores [B, R, N+1], deltas [B, R, N, 4], boxes [B, R, 4], refined_boxes [B, R, N, 4]."""
        batch, _, height, width = image.shape
        regions = proposals.shape[1]
        boxes = boxes_from_uniform(proposals, height, width)
        context = dilate_for_context(boxes, self.warp_size, self.context_padding)
        # anisotropic warp of every (dilated) proposal to S x S: [B, R, 3, S, S]
        warped = roi_align(image, context, self.warp_size, spatial_scale=1.0, sampling_ratio=1)
        pool5 = self.conv(warped.flatten(0, 1))
        scores = self.classifier(self.fc(pool5)).view(batch, regions, self.num_classes + 1)
        deltas = self.bbox_regressor(pool5).view(batch, regions, self.num_classes, 4)
        refined = decode_boxes(boxes[:, :, None, :], deltas)
        return {"scores": scores, "deltas": deltas, "boxes": boxes, "refined_boxes": refined}
