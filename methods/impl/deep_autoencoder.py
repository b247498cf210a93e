"""AE: an autoencoder, an encoder to a low-dimensional code and a decoder that reconstructs the input.

Paper: Reducing the Dimensionality of Data with Neural Networks (Hinton & Salakhutdinov, 2006)
- https://doi.org/10.1126/science.1127647

The encoder $h = f_\\theta(x)$ maps the input to a code narrower than it and the decoder
$\\hat x = g_\\phi(h)$ maps it back; both are trained to minimize the reconstruction error
$$\\mathcal{L} = \\frac1N \\sum_i \\lVert x_i - g_\\phi(f_\\theta(x_i)) \\rVert^2,$$
so the code keeps what is needed to rebuild the input (a non-linear generalization of PCA,
which a linear autoencoder recovers). The demo is a symmetric MLP 64-32-`code_dim` (the paper's
deep autoencoders are 784-1000-500-250-30, pretrained as stacked RBMs).

Shapes: `x: [B, D]` -> `code: [B, K]`, `reconstruction: [B, D]`, `loss: []`.
"""

from __future__ import annotations

import torch
from torch import nn


class DeepAutoencoder(nn.Module):
    """MLP encoder to a bottleneck code and MLP decoder, with the squared reconstruction error."""

    def __init__(self, in_features: int = 64, hidden: int = 32, code_dim: int = 8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, code_dim))
        self.decoder = nn.Sequential(nn.Linear(code_dim, hidden), nn.ReLU(), nn.Linear(hidden, in_features))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D] -> code [B, K], reconstruction [B, D], loss []."""
        code = self.encoder(x)
        reconstruction = self.decoder(code)
        return {
            "code": code,
            "reconstruction": reconstruction,
            "loss": (x - reconstruction).square().sum(dim=1).mean(),
        }
