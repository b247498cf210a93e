"""Temporal Adaptive Module (TAM, TANet).

Paper: TAM: Temporal Adaptive Module for Video Recognition - https://arxiv.org/abs/2005.06803

TAM gives a 2D CNN video-specific temporal modelling. The frames' features are
squeezed by global spatial average pooling to $\\hat{X} \\in \\mathbb{R}^{C \\times T}$.
A local branch turns $\\hat{X}$ into a location-sensitive importance map with
two temporal 1D convolutions (kernel $K$, then 1, channel reduction $\\beta$)
and a sigmoid, and rescales the frames with it. A global branch is location
invariant: for every channel it maps that channel's whole temporal profile
through two fully connected layers (width $\\alpha T$) to a softmax-normalised
kernel $\\Theta_c \\in \\mathbb{R}^K$ that is adaptive to the video. The
rescaled features are then convolved along time with that per-channel kernel:

$$\\hat{X} = \\mathrm{GAP}_{H,W}(X), \\qquad
  L = \\sigma(\\mathrm{Conv1D}_{1}(\\delta(\\mathrm{BN}(\\mathrm{Conv1D}_{K}(\\hat{X}))))), \\qquad
  Z = L \\odot X$$
$$\\Theta_c = \\mathrm{Softmax}(\\mathcal{F}_2(\\delta(\\mathrm{BN}(\\mathcal{F}_1(\\hat{X}_c))))), \\qquad
  Y_{c,t} = \\sum_{k=1}^{K} \\Theta_{c,k}\\, Z_{c,\\, t + k - \\lceil K/2 \\rceil}$$

(zero padding in time, stride 1). The input is a clip tensor
`[N, C, T, H, W]`; the authors' code takes `[N*T, C, H, W]` and reshapes to the same thing.

Shapes: `forward(x: [N, C, T, H, W]) -> [N, C, T, H, W]`.
Hyperparameters: `channels` ($C$), `num_frames` ($T$), `kernel_size` ($K$, paper 3),
`alpha` ($\\alpha$, paper 2), `beta` ($\\beta$, paper 4).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class TemporalAdaptiveModule(nn.Module):
    """Local importance map times the input, convolved in time with a video-adaptive kernel.

    `channels` is $C$, `num_frames` is $T$, `kernel_size` is $K$, `alpha` widens the
    global branch to $\\alpha T$, `beta` reduces the local branch to $C / \\beta$.
    """

    def __init__(
        self, channels: int, num_frames: int, kernel_size: int = 3, alpha: int = 2, beta: int = 4
    ) -> None:
        super().__init__()
        if kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd to keep T frames, got {kernel_size}")
        self.kernel_size = kernel_size
        hidden = max(1, channels // beta)
        self.local = nn.Sequential(
            nn.Conv1d(channels, hidden, kernel_size, padding=kernel_size // 2, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(),
            nn.Conv1d(hidden, channels, 1, bias=False),
            nn.Sigmoid(),
        )
        self.glob = nn.Sequential(
            nn.Linear(num_frames, alpha * num_frames, bias=False),
            nn.BatchNorm1d(alpha * num_frames),
            nn.ReLU(),
            nn.Linear(alpha * num_frames, kernel_size, bias=False),
            nn.Softmax(dim=-1),
        )

    def local_importance(self, pooled: torch.Tensor) -> torch.Tensor:
        """Pooled X^: [N, C, T] -> importance map L: [N, C, T] in (0, 1)."""
        # L = sigma(Conv1D_1(relu(BN(Conv1D_K(X^)))))
        return self.local(pooled)

    def adaptive_kernel(self, pooled: torch.Tensor) -> torch.Tensor:
        """Pooled X^: [N, C, T] -> kernels Theta: [N, C, K], each summing to 1."""
        batch, channels, frames = pooled.shape
        # Theta_c = softmax(F_2(relu(BN(F_1(X^_c))))), one kernel per (video, channel)
        return self.glob(pooled.reshape(batch * channels, frames)).reshape(batch, channels, -1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, C, T, H, W] -> [N, C, T, H, W]."""
        batch, channels, frames, height, width = x.shape
        pooled = x.mean(dim=(3, 4))
        # Z = L * X
        z = x * self.local_importance(pooled)[..., None, None]
        theta = self.adaptive_kernel(pooled)
        # Y_{c,t} = sum_k Theta_{c,k} Z_{c, t+k-ceil(K/2)}: a depthwise temporal conv, one group per (n, c)
        y = F.conv2d(
            z.reshape(1, batch * channels, frames, height * width),
            theta.reshape(batch * channels, 1, self.kernel_size, 1),
            padding=(self.kernel_size // 2, 0),
            groups=batch * channels,
        )
        return y.reshape(batch, channels, frames, height, width)
