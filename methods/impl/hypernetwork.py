"""HyperNetwork: a small network that generates the weights of a larger main network from layer embeddings.

Paper: HyperNetworks - https://arxiv.org/abs/1609.09106

Static hypernetworks for convolutional networks (Section 3.1): every main-network kernel
$K^j \\in \\mathbb{R}^{N_{in} f \\times N_{out} f}$ is generated from a learned layer embedding
$z^j \\in \\mathbb{R}^{N_z}$ by a two-layer linear hypernetwork shared by all layers:

$$a^j_i = W_i z^j + B_i, \\; i = 1..N_{in}, \\qquad K^j_i = \\langle W_{out}, a^j_i \\rangle + B_{out}, \\qquad
K^j = (K^j_1 \\, K^j_2 \\cdots K^j_{N_{in}})$$

so the main network's weights cost $N_z$ numbers per layer plus the shared hypernetwork, a form of
relaxed weight sharing across layers. Here the main network is a stack of 3x3 convolutions of
equal width with ReLU, a global pool and a linear classifier (the paper's WRN / ResNet 3x3 layers
are generated the same way, in 16-channel tiles).

Shapes: `forward(x: [B, C, H, W])` -> `{"logits": [B, num_classes], "kernels": [L, C, C, f, f]}`.

Hyperparameters: `channels` ($N_{in} = N_{out}$; 16 as in the paper's tiles), `layers` $L$ (3),
`z_dim` $N_z$ (64; 4 here), `kernel_size` $f$ (3), `num_classes` (10).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class HyperNetwork(nn.Module):
    """Layer embeddings z^j -> kernels K^j through a shared two-layer linear generator; a conv net uses them."""

    def __init__(
        self, channels: int = 16, layers: int = 3, z_dim: int = 4, kernel_size: int = 3, num_classes: int = 10
    ) -> None:
        super().__init__()
        self.channels, self.kernel_size = channels, kernel_size
        self.embeddings = nn.Parameter(torch.randn(layers, z_dim) * 0.1)
        # W_i, B_i for i = 1..N_in, as one [N_in * N_z, N_z] map
        self.w_in = nn.Linear(z_dim, channels * z_dim)
        # W_out, B_out: a_i (N_z) -> a kernel slice of N_out f f
        self.w_out = nn.Linear(z_dim, channels * kernel_size * kernel_size)
        self.stem = nn.Conv2d(3, channels, 3, padding=1)
        self.classifier = nn.Linear(channels, num_classes)

    def kernels(self) -> torch.Tensor:
        """K^j for every layer: [L, N_out, N_in, f, f]."""
        layers, z_dim = self.embeddings.shape
        # a^j_i = W_i z^j + B_i: [L, N_in, N_z]
        a = self.w_in(self.embeddings).view(layers, self.channels, z_dim)
        # K^j_i = <W_out, a^j_i> + B_out: [L, N_in, N_out f f]
        k = self.w_out(a).view(layers, self.channels, self.channels, self.kernel_size, self.kernel_size)
        return k.transpose(1, 2)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, 3, H, W] -> logits [B, K] and the generated kernels."""
        kernels = self.kernels()
        h = F.relu(self.stem(x))
        for kernel in kernels:
            h = F.relu(F.conv2d(h, kernel, padding=self.kernel_size // 2))
        return {"logits": self.classifier(h.mean(dim=(2, 3))), "kernels": kernels}
