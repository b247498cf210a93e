"""RPN (Region Proposal Network): a small fully convolutional head that scores and refines anchors into proposals.

Paper: Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks -
https://arxiv.org/abs/1506.01497

A 3x3 convolution slides over the backbone's feature map, followed by ReLU and two sibling 1x1
convolutions: a classification layer giving an objectness score for each of the $k$ anchors at a
position, and a regression layer giving $4k$ box offsets $(t_x, t_y, t_w, t_h)$ that refine them:

$$x = w_a t_x + x_a, \\; y = h_a t_y + y_a, \\; w = w_a e^{t_w}, \\; h = h_a e^{t_h}$$

Proposals are the refined anchors clipped to the image, ranked by objectness, the top
`pre_nms_top_n` filtered by NMS at IoU 0.7, of which `post_nms_top_n` are kept (the count is fixed
so a batch stays rectangular; see `methods.impl.anchors.top_after_nms`). One sigmoid logit per
anchor, as in torchvision's `RPNHead`.

Shapes: `forward(features: [B, C, H, W])` -> `{"objectness": [B, H W k], "deltas": [B, H W k, 4],
"proposals": [B, N, 4], "proposal_scores": [B, N]}`, boxes $(x_1, y_1, x_2, y_2)$ in image pixels.

Hyperparameters: `in_channels` (512 for VGG-16; 32 here), `stride` (16; 8 here), `scales`
((128, 256, 512); (16, 32, 64) for a 64-pixel image), `ratios` ((0.5, 1, 2)), `pre_nms_top_n`
(6,000 at test time; 64), `post_nms_top_n` (300; 16), `nms_threshold` (0.7).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.anchors import grid_anchors, top_after_nms
from methods.impl.roi_pooling import clip_boxes, decode_boxes


class RPN(nn.Module):
    """3x3 conv + ReLU, sibling 1x1 objectness and box-offset layers, anchor decoding and NMS."""

    def __init__(
        self,
        in_channels: int = 32,
        stride: int = 8,
        scales: tuple[float, ...] = (16.0, 32.0, 64.0),
        ratios: tuple[float, ...] = (0.5, 1.0, 2.0),
        pre_nms_top_n: int = 64,
        post_nms_top_n: int = 16,
        nms_threshold: float = 0.7,
    ) -> None:
        super().__init__()
        self.stride, self.scales, self.ratios = stride, scales, ratios
        self.pre_nms_top_n, self.post_nms_top_n, self.nms_threshold = (
            pre_nms_top_n,
            post_nms_top_n,
            nms_threshold,
        )
        k = len(scales) * len(ratios)
        self.conv = nn.Conv2d(in_channels, in_channels, 3, padding=1)
        self.objectness = nn.Conv2d(in_channels, k, 1)
        self.deltas = nn.Conv2d(in_channels, 4 * k, 1)

    def forward(self, features: torch.Tensor) -> dict[str, torch.Tensor]:
        """features: [B, C, H, W] -> objectness, deltas, and N proposals per image."""
        b, _, h, w = features.shape
        hidden = torch.relu(self.conv(features))
        # [B, k, H, W] -> [B, H W k], position-major like the anchors
        objectness = self.objectness(hidden).permute(0, 2, 3, 1).reshape(b, -1)
        deltas = self.deltas(hidden).view(b, -1, 4, h, w).permute(0, 3, 4, 1, 2).reshape(b, -1, 4)
        anchors = grid_anchors(h, w, self.stride, self.scales, self.ratios, features.device)
        boxes = clip_boxes(decode_boxes(anchors, deltas.detach()), h * self.stride, w * self.stride)
        scores = objectness.detach()
        proposals, proposal_scores = [], []
        for image_boxes, image_scores in zip(boxes, scores, strict=True):
            top = image_scores.topk(min(self.pre_nms_top_n, len(image_scores))).indices
            keep = top[
                top_after_nms(image_boxes[top], image_scores[top], self.nms_threshold, self.post_nms_top_n)
            ]
            proposals.append(image_boxes[keep])
            proposal_scores.append(image_scores[keep])
        return {
            "objectness": objectness,
            "deltas": deltas,
            "proposals": torch.stack(proposals),
            "proposal_scores": torch.stack(proposal_scores),
        }
