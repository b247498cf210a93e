"""CAM: Class Activation Mapping, the class-weighted sum of the last convolutional feature maps.

Paper: Learning Deep Features for Discriminative Localization (Zhou et al., 2016) - https://arxiv.org/abs/1512.04150

In a CNN ending with global average pooling and a linear classifier, the score of class $c$ is
$S_c = \\sum_k w_k^c \\frac{1}{HW}\\sum_{x,y} f_k(x, y)$, so the class activation map
$$M_c(x, y) = \\sum_k w_k^c f_k(x, y)$$
says how much each location contributed: $S_c$ is the mean of $M_c$. The map is upsampled
bilinearly to the image size to localize the object. The network is a small CNN (the paper
modifies GoogLeNet and VGG).

Shapes: `x: [B, C, H, W]` -> `logits: [B, K]`, `cam: [B, H, W]` (the map of the top class,
upsampled), `classes: [B]`.
"""

from __future__ import annotations

import torch
from torch import nn


class ClassActivationMap(nn.Module):
    """A GAP-and-linear CNN classifier and the CAM of its predicted class."""

    def __init__(self, in_channels: int = 3, channels: int = 32, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, channels, 3, stride=2, padding=1), nn.ReLU(),
        )  # fmt: skip
        self.classifier = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> logits [B, K], cam [B, H, W], classes [B]."""
        f = self.features(x)
        logits = self.classifier(f.mean(dim=(2, 3)))
        classes = logits.argmax(dim=1)
        # M_c(x, y) = Σ_k w_k^c f_k(x, y)
        maps = torch.einsum("bkhw,bk->bhw", f, self.classifier.weight[classes])
        cam = nn.functional.interpolate(
            maps[:, None], size=x.shape[-2:], mode="bilinear", align_corners=False
        )[:, 0]
        return {"logits": logits, "cam": cam, "classes": classes}
