"""Heatmap: keypoints predicted as per-joint Gaussian heatmaps, regressed with a mean squared error.

Paper: Joint Training of a Convolutional Network and a Graphical Model for Human Pose Estimation
(Tompson, Jain, LeCun & Bregler, 2014) - https://arxiv.org/abs/1406.2984

Instead of regressing coordinates, the network outputs one heatmap per joint $j$ and is trained
toward a target heatmap, a 2D Gaussian of standard deviation $\\sigma$ centred on the joint,
$$H^*_j(u, v) = \\exp\\left(-\\frac{(u - x_j)^2 + (v - y_j)^2}{2\\sigma^2}\\right), \\qquad L = \\frac{1}{J}\\sum_j \\lVert H_j - H^*_j \\rVert^2,$$
and the prediction is decoded as the arg-max location of each heatmap. The network is a small
fully convolutional one (the paper's is a multi-resolution ConvNet).

Shapes: `image: [B, 3, H, W]`, `keypoints: [B, J, 2]` as $(x, y)$ fractions of the image ->
`heatmaps: [B, J, H, W]`, `targets: [B, J, H, W]`, `loss: []`, `decoded: [B, J, 2]` (pixels).
"""

from __future__ import annotations

import torch
from torch import nn


def gaussian_heatmaps(keypoints: torch.Tensor, height: int, width: int, sigma: float) -> torch.Tensor:
    """H*(u, v) = exp(−((u − x)² + (v − y)²) / 2σ²) for keypoints [B, J, 2] in pixels -> [B, J, H, W]."""
    v = torch.arange(height, dtype=keypoints.dtype, device=keypoints.device)[:, None]
    u = torch.arange(width, dtype=keypoints.dtype, device=keypoints.device)[None, :]
    x, y = keypoints[..., 0, None, None], keypoints[..., 1, None, None]
    return torch.exp(-((u - x) ** 2 + (v - y) ** 2) / (2 * sigma**2))


def decode(heatmaps: torch.Tensor) -> torch.Tensor:
    """The arg-max (x, y) of each heatmap [B, J, H, W] -> [B, J, 2]."""
    width = heatmaps.shape[-1]
    index = heatmaps.flatten(2).argmax(dim=2)
    return torch.stack([index % width, index // width], dim=-1)


class HeatmapRegression(nn.Module):
    """A fully convolutional network predicting J heatmaps, trained toward Gaussian targets."""

    def __init__(self, num_joints: int = 4, width: int = 16, sigma: float = 1.5):
        super().__init__()
        self.network = nn.Sequential(
            nn.Conv2d(3, width, 5, padding=2), nn.ReLU(), nn.Conv2d(width, width, 5, padding=2), nn.ReLU(),
            nn.Conv2d(width, num_joints, 1),
        )  # fmt: skip
        self.sigma = sigma

    def forward(self, image: torch.Tensor, keypoints: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W], keypoints: [B, J, 2] in [0, 1] -> heatmaps, targets, loss, decoded."""
        height, width = image.shape[-2:]
        heatmaps = self.network(image)
        scale = torch.tensor([width - 1, height - 1], dtype=keypoints.dtype, device=keypoints.device)
        targets = gaussian_heatmaps(keypoints * scale, height, width, self.sigma)
        loss = (heatmaps - targets).square().sum(dim=(2, 3)).mean()
        return {"heatmaps": heatmaps, "targets": targets, "loss": loss, "decoded": decode(heatmaps)}
