"""Path length regularization, StyleGAN2's push for a well-conditioned generator.

Paper: Analyzing and Improving the Image Quality of StyleGAN (StyleGAN2) -
https://arxiv.org/abs/1912.04958

A fixed-size step in the intermediate latent space W should change the image
by a fixed amount whatever the direction. With J_w = ∂g(w)/∂w and random images
y ∼ N(0, I), the regularizer is E_{w,y}(‖J_wᵀ y‖₂ − a)², where a is the running
mean of the path lengths ‖J_wᵀ y‖₂ (an exponential moving average, decay 0.01).
J_wᵀ y is one vector-Jacobian product: ∇_w (g(w) · y). StyleGAN2 scales y by
1/√(HW) and weights the term by w_pl = 2 (applied lazily every 4 steps); the
generator here is a small two-layer map from w to an image.

Shapes: `forward(w: [B, w_dim]) -> {"penalty": [], "path_lengths": [B], "mean_path_length": [], "images": [B, C, R, R]}`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class PathLengthRegularization(nn.Module):
    """E(‖J_wᵀ y‖₂ − a)² with a the moving average of the path lengths."""

    def __init__(self, w_dim: int = 16, channels: int = 3, resolution: int = 8, decay: float = 0.01) -> None:
        super().__init__()
        self.shape = (channels, resolution, resolution)
        self.decay = decay
        self.generator = nn.Sequential(  # g: W -> images
            nn.Linear(w_dim, 64), nn.LeakyReLU(0.2), nn.Linear(64, channels * resolution * resolution)
        )
        self.register_buffer("mean_path_length", torch.zeros(()))  # a

    def forward(self, w: torch.Tensor) -> dict[str, torch.Tensor]:
        """w: [B, w_dim] intermediate latents -> the penalty, each sample's path length and g(w)."""
        with torch.enable_grad():
            w = w.detach().requires_grad_(True)
            images = self.generator(w).view(-1, *self.shape)
            # y ~ N(0, I) / √(HW)
            y = torch.randn_like(images) / math.sqrt(self.shape[1] * self.shape[2])
            # J_wᵀ y = ∇_w (g(w) · y)
            (jvp,) = torch.autograd.grad((images * y).sum(), w, create_graph=True)
        lengths = jvp.norm(dim=1)  # ‖J_wᵀ y‖₂
        if self.training:
            # a ← a + decay · (mean length − a)
            self.mean_path_length.lerp_(lengths.detach().mean(), self.decay)
        penalty = (lengths - self.mean_path_length).pow(2).mean()
        return {
            "penalty": penalty,
            "path_lengths": lengths,
            "mean_path_length": self.mean_path_length.clone(),
            "images": images,
        }
