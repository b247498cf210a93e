"""k-Means Clustering: Lloyd's algorithm from a k-means++ start.

Paper: Least Squares Quantization in PCM (Lloyd, 1982) - https://doi.org/10.1109/TIT.1982.1056489

k-means partitions $N$ points into $k$ clusters minimizing the inertia
$J = \\sum_i \\lVert x_i - \\mu_{c_i} \\rVert^2$. Lloyd's algorithm alternates the assignment step
$c_i = \\arg\\min_j \\lVert x_i - \\mu_j \\rVert^2$ and the update step
$\\mu_j = \\text{mean}\\{x_i : c_i = j\\}$ until the assignments stop changing (or `max_iter`). The
centroids start from k-means++ (Arthur & Vassilvitskii, 2007): the first a random point, each
next one drawn with probability proportional to $D(x)^2$, the squared distance to the nearest
centroid chosen so far, from a generator seeded with `seed`. An empty cluster keeps its centroid.
scikit-learn's `KMeans(algorithm="lloyd")` is the famous reference this follows.

Shapes: `x: [N, D]` -> `assignments: [N]`, `centroids: [k, D]`, `inertia: []`.
"""

from __future__ import annotations

import torch
from torch import nn


def kmeans_plus_plus(x: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """k initial centroids: each drawn with probability proportional to D(x)²."""
    first = int(torch.randint(x.shape[0], (1,), generator=generator))
    centroids = x[first : first + 1]
    for _ in range(1, k):
        d2 = torch.cdist(x, centroids).min(dim=1).values ** 2
        weights = d2 if float(d2.sum()) > 0 else torch.ones_like(d2)
        pick = int(torch.multinomial(weights.cpu(), 1, generator=generator))
        centroids = torch.cat([centroids, x[pick : pick + 1]])
    return centroids


def lloyd(x: torch.Tensor, centroids: torch.Tensor, max_iter: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Alternate assignment and update steps from `centroids`; returns (assignments, centroids)."""
    assignments = torch.cdist(x, centroids).argmin(dim=1)
    for _ in range(max_iter):
        # μ_j = mean{x_i : c_i = j}; an empty cluster keeps its centroid
        one_hot = nn.functional.one_hot(assignments, centroids.shape[0]).to(x.dtype)
        sizes = one_hot.sum(dim=0)
        sums = one_hot.T @ x
        centroids = torch.where(sizes[:, None] > 0, sums / sizes.clamp(min=1)[:, None], centroids)
        # c_i = argmin_j ‖x_i − μ_j‖²
        new = torch.cdist(x, centroids).argmin(dim=1)
        if torch.equal(new, assignments):
            break
        assignments = new
    return assignments, centroids


class KMeans(nn.Module):
    """Clusters `x` into `n_clusters` groups."""

    def __init__(self, n_clusters: int = 3, max_iter: int = 50, seed: int = 0):
        super().__init__()
        self.n_clusters, self.max_iter, self.seed = n_clusters, max_iter, seed

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D] -> assignments [N], centroids [k, D], inertia []."""
        if self.n_clusters > x.shape[0]:
            raise ValueError(f"n_clusters {self.n_clusters} exceeds the {x.shape[0]} points")
        generator = torch.Generator().manual_seed(self.seed)
        start = kmeans_plus_plus(x.detach(), self.n_clusters, generator)
        assignments, centroids = lloyd(x.detach(), start, self.max_iter)
        # J = Σ_i ‖x_i − μ_{c_i}‖²
        inertia = ((x - centroids[assignments]) ** 2).sum()
        return {"assignments": assignments, "centroids": centroids, "inertia": inertia}
