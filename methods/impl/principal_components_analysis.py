"""PCA: Principal Components Analysis, the orthogonal directions of largest variance.

Paper: On Lines and Planes of Closest Fit to Systems of Points in Space (Pearson, 1901)
- https://doi.org/10.1080/14786440109462720

Center the data, $\\bar X = X - \\mathbf{1}\\mu^\\top$, and take its thin SVD
$\\bar X = U S V^\\top$. The principal axes are the first $k$ rows of $V^\\top$ (eigenvectors of the
covariance $C = \\bar X^\\top \\bar X / (N - 1)$), their variances $\\lambda_j = s_j^2 / (N - 1)$,
and the scores $Z = \\bar X V_k$. Signs are fixed as scikit-learn's `PCA` fixes them (the largest
coordinate of each axis, in absolute value, is positive), so the output is deterministic.

Shapes: `x: [N, D]` -> `scores: [N, k]`, `components: [k, D]`, `explained_variance: [k]`.
"""

from __future__ import annotations

import torch
from torch import nn


class PCA(nn.Module):
    """Projects `x` onto its first `n_components` principal axes."""

    def __init__(self, n_components: int = 2):
        super().__init__()
        self.n_components = n_components

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D] -> scores [N, k], components [k, D], explained_variance [k]."""
        k = self.n_components
        if k > min(x.shape):
            raise ValueError(f"n_components {k} exceeds min(N, D) = {min(x.shape)}")
        centered = x - x.mean(dim=0, keepdim=True)
        _, s, vh = torch.linalg.svd(centered, full_matrices=False)
        components = vh[:k]
        # sign convention: the largest |coordinate| of each axis is positive
        pivot = components.abs().argmax(dim=1, keepdim=True)
        components = components * torch.sign(components.gather(1, pivot))
        # Z = X̄ V_k,  λ_j = s_j² / (N − 1)
        return {
            "scores": centered @ components.T,
            "components": components,
            "explained_variance": s[:k] ** 2 / (x.shape[0] - 1),
        }
