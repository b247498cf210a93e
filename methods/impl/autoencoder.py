"""AutoEncoder: a deep encoder maps the input to a low-dimensional code, a mirrored decoder reconstructs it.

Paper: Reducing the Dimensionality of Data with Neural Networks -
https://www.science.org/doi/10.1126/science.1127647

The encoder is a stack of logistic layers narrowing to a small linear code layer (784-1000-500-
250-30 for MNIST in the paper), the decoder the mirror image, and the whole network is fine-tuned
by back-propagating the reconstruction error; with deep layers it learns codes that work much
better than PCA. (The paper pre-trains each layer as an RBM first; training is outside a forward
pass.) The reconstruction here is the sigmoid output with a cross-entropy error, as the paper uses
for MNIST.

Shapes: `forward(x: [B, D])` with `x` in [0, 1] -> `{"recon": [B, D], "code": [B, d], "loss": []}`.

Hyperparameters: `input_dim` $D$ (784; 64 here), `hidden` (the encoder widths, (1000, 500, 250);
(32, 16) here), `code_dim` $d$ (30; 4 here).
"""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from torch import nn


def _mlp(widths: list[int]) -> nn.Sequential:
    """Linear layers through `widths`, logistic between them, the last one linear."""
    layers: list[nn.Module] = []
    for a, b in itertools.pairwise(widths):
        layers += [nn.Linear(a, b), nn.Sigmoid()]
    return nn.Sequential(*layers[:-1])


class AutoEncoder(nn.Module):
    """Logistic encoder to a linear code, mirrored decoder, cross-entropy reconstruction."""

    def __init__(self, input_dim: int = 64, hidden: tuple[int, ...] = (32, 16), code_dim: int = 4) -> None:
        super().__init__()
        widths = [input_dim, *hidden, code_dim]
        # the code layer is linear; every other layer logistic
        self.encoder = _mlp(widths)
        self.decoder = _mlp(widths[::-1])

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D] in [0, 1] -> recon [B, D], code [B, d], loss []."""
        code = self.encoder(x)
        logits = self.decoder(code)
        # cross-entropy error -sum [x log x_hat + (1 - x) log(1 - x_hat)], batch mean
        loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        return {"recon": torch.sigmoid(logits), "code": code, "loss": loss}
