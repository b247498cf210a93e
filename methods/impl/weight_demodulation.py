"""Weight demodulation, StyleGAN2's replacement for AdaIN inside modulated convolutions.

Paper: Analyzing and Improving the Image Quality of StyleGAN (StyleGAN2) -
https://arxiv.org/abs/1912.04958

AdaIN normalises feature maps by their actual statistics, which produced
StyleGAN's droplet artefacts. StyleGAN2 moves the style into the weights and
normalises by the statistics the weights imply: modulation
w'_ijk = s_i · w_ijk (s from the latent w by an affine map A), then
demodulation w''_ijk = w'_ijk / √(Σ_{i,k} w'_ijk² + ε), which restores unit standard
deviation of each output channel j for unit-variance inputs. Each example gets
its own weights, run as one grouped convolution (the official implementation's
trick, followed here). See also Adaptive Instance Normalization.

Shapes: `forward(x: [B, C_in, H, W], w: [B, w_dim]) -> [B, C_out, H, W]`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class ModulatedConv2d(nn.Module):
    """Conv with weights w''_ijk = s_i w_ijk / √(Σ_{i,k} (s_i w_ijk)² + ε)."""

    def __init__(
        self,
        in_channels: int = 8,
        out_channels: int = 8,
        kernel_size: int = 3,
        w_dim: int = 16,
        demodulate: bool = True,
        eps: float = 1e-8,
    ) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel_size, kernel_size))  # w_ijk
        self.affine = nn.Linear(w_dim, in_channels)  # A: w -> styles s
        nn.init.ones_(self.affine.bias)  # s starts near 1, as in StyleGAN2
        self.demodulate, self.eps = demodulate, eps
        self.padding = kernel_size // 2

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] features; w: [B, w_dim] intermediate latents -> [B, C_out, H, W]."""
        b, c_in, h, width = x.shape
        s = self.affine(w)  # [B, C_in]
        # modulation: w'_ijk = s_i · w_ijk  -> [B, C_out, C_in, k, k]
        weight = self.weight.unsqueeze(0) * s[:, None, :, None, None]
        if self.demodulate:
            # demodulation: w'' = w' / √(Σ_{i,k} w'² + ε)
            weight = weight * torch.rsqrt(weight.pow(2).sum(dim=(2, 3, 4), keepdim=True) + self.eps)
        # one grouped convolution, a group per example
        out = F.conv2d(
            x.reshape(1, b * c_in, h, width),
            weight.reshape(-1, c_in, *weight.shape[3:]),
            padding=self.padding,
            groups=b,
        )
        return out.view(b, -1, *out.shape[2:])
