"""DTW: Dynamic Time Warping, the cheapest monotone alignment of two sequences.

Paper: Dynamic Programming Algorithm Optimization for Spoken Word Recognition (Sakoe & Chiba,
1978) - https://doi.org/10.1109/TASSP.1978.1163055

With the local cost $d(i, j) = \\lVert x_i - y_j \\rVert$, the cumulative cost
$$D(i, j) = d(i, j) + \\min\\{D(i-1, j),\\ D(i-1, j-1),\\ D(i, j-1)\\}, \\qquad D(0, 0) = 0,$$
gives the DTW distance $D(n, m)$ and, by backtracking the minima, the warping path. An optional
Sakoe-Chiba band $|i - j| \\le w$ restricts the alignment (`window` = 0 means none). tslearn's
`dtw` and `dtw_path` are the reference.

Shapes: `x: [N, D]`, `y: [M, D]` -> `distance: []`, `cost: [N, M]` ($D$), `path: [N + M, 2]`
(aligned index pairs in order, padded with -1).
"""

from __future__ import annotations

import math

import torch
from torch import nn


class DynamicTimeWarping(nn.Module):
    """DTW distance, cumulative cost matrix and warping path of two multivariate sequences."""

    def __init__(self, window: int = 0):
        super().__init__()
        self.window = window

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], y: [M, D] -> distance [], cost [N, M], path [N + M, 2]."""
        n, m = x.shape[0], y.shape[0]
        local = torch.cdist(x, y)
        d = local.tolist()
        inf = math.inf
        acc = [[inf] * (m + 1) for _ in range(n + 1)]
        acc[0][0] = 0.0
        for i in range(1, n + 1):
            for j in range(1, m + 1):
                if self.window and abs(i - j) > max(self.window, abs(n - m)):
                    continue
                # D(i, j) = d(i, j) + min(D(i−1, j), D(i−1, j−1), D(i, j−1))
                acc[i][j] = d[i - 1][j - 1] + min(acc[i - 1][j], acc[i - 1][j - 1], acc[i][j - 1])
        path, i, j = [], n, m
        while i > 0 and j > 0:
            path.append((i - 1, j - 1))
            steps = {(i - 1, j - 1): acc[i - 1][j - 1], (i - 1, j): acc[i - 1][j], (i, j - 1): acc[i][j - 1]}
            i, j = min(steps, key=steps.get)
        path = path[::-1] + [(-1, -1)] * (n + m - len(path))
        cost = torch.tensor([row[1:] for row in acc[1:]], dtype=x.dtype, device=x.device)
        # the distance stays differentiable: the sum of local costs along the path
        on_path = torch.tensor([p for p in path if p[0] >= 0], device=x.device)
        distance = local[on_path[:, 0], on_path[:, 1]].sum()
        return {"distance": distance, "cost": cost, "path": torch.tensor(path, device=x.device)}
