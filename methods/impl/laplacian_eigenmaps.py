"""LapEigen: Laplacian Eigenmaps, a graph embedding by the smallest non-trivial Laplacian eigenvectors.

Paper: Laplacian Eigenmaps and Spectral Techniques for Embedding and Clustering (Belkin & Niyogi,
2001) - https://proceedings.neurips.cc/paper/2001/hash/f106b7f99d2cb30c3db1c3cc0fde9ccb-Abstract.html

Given a weighted graph $W$ with degrees $D_{ii} = \\sum_j W_{ij}$ and Laplacian $L = D - W$, the
embedding minimizes $\\sum_{ij} W_{ij} \\lVert y_i - y_j \\rVert^2 = \\text{tr}(Y^\\top L Y)$ subject to
$Y^\\top D Y = I$: the generalized eigenproblem $L f = \\lambda D f$, whose eigenvector for
$\\lambda_0 = 0$ is constant and is dropped; node $i$ is embedded at
$(f_1(i), \\dots, f_m(i))$. The graph here is built from points with the paper's heat kernel,
$W_{ij} = \\exp(-\\lVert x_i - x_j \\rVert^2 / t)$ on the $k$ nearest neighbours (symmetrized).
The problem is solved as the symmetric one of $D^{-1/2} L D^{-1/2}$, then $f = D^{-1/2} g$.

Shapes: `x: [N, D]` -> `embedding: [N, m]`, `eigenvalues: [m]`.
"""

from __future__ import annotations

import torch
from torch import nn


class LaplacianEigenmaps(nn.Module):
    """Heat-kernel kNN graph, then the m smallest non-trivial solutions of L f = λ D f."""

    def __init__(self, n_components: int = 2, n_neighbors: int = 8, t: float = 1.0):
        super().__init__()
        self.n_components, self.n_neighbors, self.t = n_components, n_neighbors, t

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D] -> embedding [N, m], eigenvalues [m]."""
        n = x.shape[0]
        if self.n_components >= n or self.n_neighbors >= n:
            raise ValueError(f"n_components and n_neighbors must be below the {n} points")
        d2 = torch.cdist(x, x).square()
        # k nearest neighbours (not itself), symmetrized: i ~ j if either is among the other's
        nearest = d2.topk(self.n_neighbors + 1, largest=False).indices[:, 1:]
        knn = torch.zeros(n, n, dtype=torch.bool, device=x.device).scatter_(1, nearest, True)
        # W_ij = exp(−‖x_i − x_j‖² / t)
        w = torch.exp(-d2 / self.t) * (knn | knn.T)
        degree = w.sum(dim=1)
        # L f = λ D f  ⇔  (D^(-1/2) L D^(-1/2)) g = λ g,  f = D^(-1/2) g
        inv_sqrt = degree.clamp(min=1e-12).rsqrt()
        sym = torch.eye(n, dtype=x.dtype, device=x.device) - inv_sqrt[:, None] * w * inv_sqrt[None, :]
        eigenvalues, vectors = torch.linalg.eigh(sym)
        f = inv_sqrt[:, None] * vectors[:, 1 : self.n_components + 1]
        pivot = f.abs().argmax(dim=0, keepdim=True)
        f = f * torch.sign(f.gather(0, pivot))
        return {"embedding": f, "eigenvalues": eigenvalues[1 : self.n_components + 1]}
