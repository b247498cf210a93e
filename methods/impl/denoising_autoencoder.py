"""Denoising Autoencoder: reconstruct the clean input from a partially destroyed copy.

Paper: Extracting and Composing Robust Features with Denoising Autoencoders -
https://www.cs.toronto.edu/~larocheh/publications/icml-2008-denoising-autoencoders.pdf

The input $x$ is corrupted into $\\tilde x \\sim q_D(\\tilde x | x)$ by masking noise - a fixed
fraction $\\nu$ of the components, chosen at random, is set to 0 - then mapped to a hidden
representation $y = f_\\theta(\\tilde x) = s(W \\tilde x + b)$ and reconstructed as
$z = g_{\\theta'}(y) = s(W' y + b')$ with tied weights $W' = W^\\top$. Training minimizes the
reconstruction cross-entropy against the *clean* input,

$$L_H(x, z) = -\\sum_k [x_k \\log z_k + (1 - x_k) \\log(1 - z_k)]$$

so the representation must capture the dependencies between input components to undo the
corruption.

Shapes: `forward(x: [B, D])` with `x` in [0, 1] -> `{"recon": [B, D], "hidden": [B, d],
"corrupted": [B, D], "loss": []}`.

Hyperparameters: `input_dim` $D$ (784; 64 here), `hidden_dim` $d$ (500; 32), `corruption` $\\nu$
(the destroyed fraction, 0.25; 10 to 50% in the paper).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class DenoisingAutoencoder(nn.Module):
    """Masking corruption, sigmoid encoder, tied-weight sigmoid decoder, cross-entropy to the clean x."""

    def __init__(self, input_dim: int = 64, hidden_dim: int = 32, corruption: float = 0.25) -> None:
        super().__init__()
        self.corruption = corruption
        self.weight = nn.Parameter(torch.empty(hidden_dim, input_dim))
        nn.init.xavier_uniform_(self.weight)
        self.bias = nn.Parameter(torch.zeros(hidden_dim))
        self.bias_prime = nn.Parameter(torch.zeros(input_dim))

    def corrupt(self, x: torch.Tensor) -> torch.Tensor:
        """Masking noise: exactly round(nu D) components of each row, chosen at random, set to 0."""
        count = round(self.corruption * x.shape[1])
        destroyed = torch.rand(x.shape, device=x.device).argsort(dim=1)[:, :count]
        return x.scatter(1, destroyed, 0.0)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D] in [0, 1] -> recon, hidden, corrupted input, loss."""
        corrupted = self.corrupt(x)
        # y = s(W x~ + b)
        hidden = torch.sigmoid(F.linear(corrupted, self.weight, self.bias))
        # z = s(W^T y + b')
        logits = F.linear(hidden, self.weight.t(), self.bias_prime)
        loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        return {"recon": torch.sigmoid(logits), "hidden": hidden, "corrupted": corrupted, "loss": loss}
