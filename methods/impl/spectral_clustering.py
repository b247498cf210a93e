"""Spectral Clustering: k-means on the leading eigenvectors of a normalized affinity matrix.

Paper: On Spectral Clustering: Analysis and an Algorithm (Ng, Jordan & Weiss, 2001)
- https://proceedings.neurips.cc/paper/2001/hash/801272ee79cfde7fa5960571fee36b9b-Abstract.html

The algorithm of the paper: build the affinity $A_{ij} = \\exp(-\\lVert x_i - x_j \\rVert^2 / 2\\sigma^2)$
with $A_{ii} = 0$, normalize $L = D^{-1/2} A D^{-1/2}$ ($D$ the degree matrix), stack the $k$
largest eigenvectors of $L$ as columns of $X \\in \\mathbb{R}^{N \\times k}$, renormalize each row to
unit length ($Y_{ij} = X_{ij} / \\lVert X_{i\\cdot} \\rVert$) and cluster the rows of $Y$ with k-means
(Lloyd from k-means++, `methods.impl.k_means_clustering`). Points that the affinity connects
land near the same point of the unit sphere, so non-convex clusters separate.

Shapes: `x: [N, D]` -> `assignments: [N]`, `embedding: [N, k]` (the rows of $Y$),
`eigenvalues: [k]`.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.k_means_clustering import kmeans_plus_plus, lloyd


class SpectralClustering(nn.Module):
    """Clusters `x` into `n_clusters` groups by the Ng-Jordan-Weiss algorithm."""

    def __init__(self, n_clusters: int = 2, sigma: float = 1.0, max_iter: int = 50, seed: int = 0):
        super().__init__()
        self.n_clusters, self.sigma, self.max_iter, self.seed = n_clusters, sigma, max_iter, seed

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D] -> assignments [N], embedding [N, k], eigenvalues [k]."""
        k = self.n_clusters
        if k > x.shape[0]:
            raise ValueError(f"n_clusters {k} exceeds the {x.shape[0]} points")
        # A_ij = exp(−‖x_i − x_j‖² / 2σ²), A_ii = 0
        affinity = torch.exp(-torch.cdist(x, x).square() / (2 * self.sigma**2))
        affinity = affinity * (1 - torch.eye(x.shape[0], dtype=x.dtype, device=x.device))
        # L = D^(-1/2) A D^(-1/2)
        d = affinity.sum(dim=1).clamp(min=1e-12).rsqrt()
        laplacian = d[:, None] * affinity * d[None, :]
        eigenvalues, vectors = torch.linalg.eigh(laplacian)
        top = vectors[:, -k:].flip(1)
        # Y_ij = X_ij / ‖X_i·‖
        embedding = top / top.norm(dim=1, keepdim=True).clamp(min=1e-12)
        generator = torch.Generator().manual_seed(self.seed)
        start = kmeans_plus_plus(embedding.detach(), k, generator)
        assignments, _ = lloyd(embedding.detach(), start, self.max_iter)
        return {"assignments": assignments, "embedding": embedding, "eigenvalues": eigenvalues[-k:].flip(0)}
