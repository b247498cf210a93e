"""Random Gaussian blur, an augmentation that smooths an image with a random-width Gaussian.

Paper: A Simple Framework for Contrastive Learning of Visual Representations
(SimCLR) - https://arxiv.org/abs/2002.05709

SimCLR blurs each view with probability 0.5 using a Gaussian kernel whose
standard deviation is drawn as σ ∼ U(0.1, 2.0), the kernel side being 10% of the
image side. The kernel g(t) ∝ exp(−t²/(2σ²)) is applied separably along rows and
columns with reflect padding, as in torchvision's `GaussianBlur` (`F.gaussian_blur`).

Shapes: `forward(images: [B, C, H, W]) -> {"images": [B, C, H, W], "sigma": [B]}` (σ = 0: not blurred).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def gaussian_kernel(size: int, sigma: float) -> torch.Tensor:
    """[size] weights exp(−t²/(2σ²)) at t = −(size−1)/2 … (size−1)/2, summing to 1."""
    t = torch.linspace(-(size - 1) / 2, (size - 1) / 2, size)
    kernel = torch.exp(-0.5 * (t / sigma) ** 2)
    return kernel / kernel.sum()


def gaussian_blur(image: torch.Tensor, size: int, sigma: float) -> torch.Tensor:
    """image: [C, H, W] -> the separable Gaussian blur with reflect padding."""
    c = image.shape[0]
    k = gaussian_kernel(size, sigma).to(image)
    pad = size // 2
    x = F.pad(image.unsqueeze(0), (pad, pad, pad, pad), mode="reflect")
    x = F.conv2d(x, k.view(1, 1, 1, -1).expand(c, 1, 1, size), groups=c)  # along rows
    x = F.conv2d(x, k.view(1, 1, -1, 1).expand(c, 1, size, 1), groups=c)  # along columns
    return x.squeeze(0)


class RandomGaussianBlur(nn.Module):
    """With probability p, blur with σ ∼ U(sigma_min, sigma_max) and an odd kernel of side `kernel_size`."""

    def __init__(self, kernel_size: int = 5, sigma_min: float = 0.1, sigma_max: float = 2.0, p: float = 0.5):
        super().__init__()
        if kernel_size % 2 == 0:
            raise ValueError("kernel_size must be odd")
        self.kernel_size, self.sigma, self.p = kernel_size, (sigma_min, sigma_max), p

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [B, C, H, W] -> the (possibly) blurred images and each image's σ (0 when left sharp)."""
        out, sigmas = [], []
        for image in images:
            apply = float(torch.rand(())) < self.p
            sigma = float(torch.empty(1).uniform_(*self.sigma))
            out.append(gaussian_blur(image, self.kernel_size, sigma) if apply else image)
            sigmas.append(sigma if apply else 0.0)
        return {"images": torch.stack(out), "sigma": torch.tensor(sigmas, device=images.device)}
