"""Laplacian PE: graph positional encodings from the eigenvectors of the normalized Laplacian.

Paper: Benchmarking Graph Neural Networks (Dwivedi et al., 2020) - https://arxiv.org/abs/2003.00982

Eigenvectors of a path graph's Laplacian are the sines and cosines of a Transformer's position
encodings; for a general graph the paper uses the $k$ smallest non-trivial eigenvectors of
$$\\Delta = I - D^{-1/2} A D^{-1/2} = U^\\top \\Lambda U$$
as each node's $k$-dimensional positional encoding, added to its features through a linear map.
Eigenvectors are defined up to sign, so training flips each one's sign at random (the paper's
augmentation), drawn here from a generator seeded with `seed` when `random_sign` is on.

Shapes: `adjacency: [N, N]`, `x: [N, F]` -> `encoding: [N, k]`, `output: [N, H]`
($h = W_x x + W_p \\lambda$ as input to the GNN).
"""

from __future__ import annotations

import torch
from torch import nn


def laplacian_eigenvectors(adjacency: torch.Tensor, k: int) -> torch.Tensor:
    """The k eigenvectors of I − D^(-1/2) A D^(-1/2) after the trivial one: [N, k]."""
    n = adjacency.shape[0]
    if k >= n:
        raise ValueError(f"k = {k} must be below the {n} nodes")
    a = adjacency.to(torch.get_default_dtype() if not adjacency.is_floating_point() else adjacency.dtype)
    inv_sqrt = a.sum(dim=1).clamp(min=1e-12).rsqrt()
    laplacian = torch.eye(n, dtype=a.dtype, device=a.device) - inv_sqrt[:, None] * a * inv_sqrt[None, :]
    _, vectors = torch.linalg.eigh(laplacian)
    return vectors[:, 1 : k + 1]


class LaplacianPositionalEncoding(nn.Module):
    """k Laplacian eigenvectors per node, randomly sign-flipped, embedded and added to the features."""

    def __init__(
        self, in_features: int = 8, k: int = 4, hidden: int = 16, random_sign: bool = True, seed: int = 0
    ):
        super().__init__()
        self.k, self.random_sign, self.seed = k, random_sign, seed
        self.features = nn.Linear(in_features, hidden)
        self.position = nn.Linear(k, hidden)

    def forward(self, adjacency: torch.Tensor, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """adjacency: [N, N], x: [N, F] -> encoding [N, k], output [N, H]."""
        pe = laplacian_eigenvectors((adjacency + adjacency.T).clamp(max=1), self.k).to(x.dtype)
        if self.random_sign:
            generator = torch.Generator().manual_seed(self.seed)
            signs = torch.randint(0, 2, (self.k,), generator=generator).to(pe) * 2 - 1
            pe = pe * signs
        return {"encoding": pe, "output": self.features(x) + self.position(pe)}
