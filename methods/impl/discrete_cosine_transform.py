"""Discrete cosine transform (DCT-II), an image's spatial-frequency spectrum in real numbers.

Paper: Discrete Cosine Transform (Ahmed, Natarajan & Rao, IEEE Transactions on
Computers, 1974) - https://doi.org/10.1109/T-C.1974.223784

The DCT expresses N samples as a sum of cosines of increasing frequency:
X_k = s_k Σ_{n=0}^{N−1} x_n cos(π/N (n + ½) k), k = 0 … N − 1, with the orthonormal
scaling s_0 = √(1/N), s_k = √(2/N) (SciPy's `norm="ortho"`), which makes the
transform a rotation (its inverse is its transpose, the DCT-III). The 2-D DCT
of an image applies it along rows and columns, X = C x Cᵀ, as JPEG does on
8×8 blocks; most of a natural image's energy falls in the low frequencies.

Shapes: `forward(x: [B, C, H, W]) -> {"coefficients": [B, C, H, W], "reconstruction": [B, C, H, W]}`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def dct_matrix(n: int, orthonormal: bool = True) -> torch.Tensor:
    """[N, N] DCT-II matrix C with C[k, n] = s_k cos(π/N (n + ½) k)."""
    k = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    i = torch.arange(n, dtype=torch.float64).unsqueeze(0)
    matrix = torch.cos(math.pi / n * (i + 0.5) * k)
    if orthonormal:
        matrix[0] *= math.sqrt(1.0 / n)
        matrix[1:] *= math.sqrt(2.0 / n)
    return matrix.float()


class DiscreteCosineTransform(nn.Module):
    """2-D DCT-II over the last two dimensions; with `orthonormal`, also its exact inverse."""

    def __init__(self, orthonormal: bool = True) -> None:
        super().__init__()
        self.orthonormal = orthonormal

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> DCT coefficients [B, C, H, W] (k_h, k_w) and the inverse of them."""
        c_h = dct_matrix(x.shape[-2], self.orthonormal).to(x)
        c_w = dct_matrix(x.shape[-1], self.orthonormal).to(x)
        # X = C_H x C_Wᵀ
        coefficients = c_h @ x @ c_w.t()
        # x = C_H⁻¹ X C_W⁻ᵀ; orthonormal: C⁻¹ = Cᵀ (the DCT-III)
        inv_h, inv_w = (
            (c_h.t(), c_w.t()) if self.orthonormal else (torch.linalg.inv(c_h), torch.linalg.inv(c_w))
        )
        reconstruction = inv_h @ coefficients @ inv_w.t()
        return {"coefficients": coefficients, "reconstruction": reconstruction}
