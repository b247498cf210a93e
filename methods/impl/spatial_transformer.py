"""Spatial Transformer: a differentiable module that predicts and applies a spatial transformation to its input.

Paper: Spatial Transformer Networks - https://arxiv.org/abs/1506.02025

Three parts: a localisation network regresses the transformation parameters $\\theta = f_{loc}(U)$
(here the six of an affine map, its last layer initialized to the identity); a grid generator maps
each output coordinate $(x_i^t, y_i^t)$ of a regular grid, normalized to $[-1, 1]$, to a source
coordinate

$$\\begin{pmatrix} x_i^s \\\\ y_i^s \\end{pmatrix} = A_\\theta \\begin{pmatrix} x_i^t \\\\ y_i^t \\\\ 1 \\end{pmatrix}$$

and a sampler reads the input there with a bilinear kernel,
$V_i^c = \\sum_n^H \\sum_m^W U_{nm}^c \\max(0, 1 - |x_i^s - m|) \\max(0, 1 - |y_i^s - n|)$, which
is differentiable in both $U$ and $\\theta$. `affine_grid` and `grid_sample` are the grid generator
and sampler; the localisation net follows the PyTorch spatial transformer tutorial.

Shapes: `forward(x: [B, C, H, W])` -> `{"output": [B, C, H, W], "theta": [B, 2, 3]}`.

Hyperparameters: `in_channels` $C$, `image_size` (the localisation net's input side; 28 for
MNIST), `hidden` (the localisation regressor's width, 32).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class SpatialTransformer(nn.Module):
    """Localisation net -> affine theta -> sampling grid -> bilinear sampling."""

    def __init__(self, in_channels: int = 1, image_size: int = 28, hidden: int = 32) -> None:
        super().__init__()
        self.localisation = nn.Sequential(
            nn.Conv2d(in_channels, 8, 7),
            nn.MaxPool2d(2),
            nn.ReLU(),
            nn.Conv2d(8, 10, 5),
            nn.MaxPool2d(2),
            nn.ReLU(),
        )
        side = ((image_size - 6) // 2 - 4) // 2
        if side < 1:
            raise ValueError(
                f"image_size {image_size} is too small for the localisation network (at least 18)"
            )
        self.regressor = nn.Sequential(
            nn.Flatten(), nn.Linear(10 * side * side, hidden), nn.ReLU(), nn.Linear(hidden, 6)
        )
        # start at the identity transformation: theta = [[1, 0, 0], [0, 1, 0]]
        nn.init.zeros_(self.regressor[-1].weight)
        with torch.no_grad():
            self.regressor[-1].bias.copy_(torch.tensor([1.0, 0, 0, 0, 1, 0]))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> the transformed input [B, C, H, W] and theta [B, 2, 3]."""
        theta = self.regressor(self.localisation(x)).view(-1, 2, 3)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        return {"output": F.grid_sample(x, grid, align_corners=False), "theta": theta}
