"""Mask R-CNN: Faster R-CNN plus a branch predicting a binary mask for each region of interest.

Paper: Mask R-CNN - https://arxiv.org/abs/1703.06870

In parallel with the box head, a small fully convolutional mask head runs on RoIAlign features of
each proposal ($14 \\times 14$): four 3x3 conv-ReLU layers, a 2x2 stride-2 transposed convolution
and a 1x1 convolution giving one $28 \\times 28$ mask logit map per class. Masks and classes are
decoupled - the mask loss is a per-pixel sigmoid binary cross-entropy on the ground-truth class's
map only, with no competition between classes. RoIAlign (no quantization of the RoI or its bins)
is what makes the masks pixel-accurate. Follows torchvision's `MaskRCNNHeads` /
`MaskRCNNPredictor`; the demo masks are $2 P_m$ for a pool of $P_m$ = 7.

Shapes: `forward(image: [B, 3, H, W])` -> Faster R-CNN's outputs plus
`"mask_logits": [B, N, K, 2 P_m, 2 P_m]`.

Hyperparameters: Faster R-CNN's, plus `mask_pool_size` $P_m$ (14; 7 here) and `mask_channels`
(256; 16 here).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.faster_r_cnn import FasterRCNN
from methods.impl.roi_pooling import roi_align


class MaskRCNN(FasterRCNN):
    """Faster R-CNN with a per-class FCN mask head on RoIAlign features."""

    def __init__(
        self,
        num_classes: int = 4,
        channels: int = 32,
        proposals: int = 16,
        pool_size: int = 7,
        sampling_ratio: int = 2,
        hidden: int = 64,
        mask_pool_size: int = 7,
        mask_channels: int = 16,
    ) -> None:
        super().__init__(num_classes, channels, proposals, pool_size, sampling_ratio, hidden)
        self.mask_pool_size = mask_pool_size
        layers: list[nn.Module] = []
        width = channels
        for _ in range(4):
            layers += [nn.Conv2d(width, mask_channels, 3, padding=1), nn.ReLU()]
            width = mask_channels
        layers += [
            nn.ConvTranspose2d(mask_channels, mask_channels, 2, 2),
            nn.ReLU(),
            nn.Conv2d(mask_channels, num_classes, 1),
        ]
        self.mask_head = nn.Sequential(*layers)

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> Faster R-CNN outputs and mask_logits [B, N, K, 2 P_m, 2 P_m]."""
        out = super().forward(image)
        proposals = out["proposals"]
        pooled = roi_align(
            out["features"], proposals, self.mask_pool_size, 1 / self.stride, self.sampling_ratio
        )
        b, n = proposals.shape[:2]
        masks = self.mask_head(pooled.flatten(0, 1))
        out["mask_logits"] = masks.view(b, n, *masks.shape[1:])
        return out
