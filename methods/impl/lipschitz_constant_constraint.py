"""Lipschitz Constant Constraint (LCC).

Paper: Regularisation of Neural Networks by Enforcing Lipschitz Continuity (Gouk, Frank,
Pfahringer, Cree, 2018) - https://arxiv.org/abs/1804.04368

The Lipschitz constant of a feed-forward network is bounded by the product of its layers'
operator norms, so bounding each layer's norm by $\\lambda$ bounds the network's by
$\\lambda^{depth}$. Training becomes projected stochastic gradient descent: after every
optimizer step each weight matrix is projected back onto the ball of radius $\\lambda$,

$$W \\leftarrow \\frac{W}{\\max\\left(1, \\lVert W \\rVert_p / \\lambda\\right)} .$$

For $p = 1$ and $p = \\infty$ the operator norm is exact: the largest absolute column sum
and the largest absolute row sum. For $p = 2$ it is the largest singular value, estimated
with the power method the paper uses,

$$x_k = W^\\top W x_{k-1}, \\qquad \\lVert W \\rVert_2 \\approx \\lVert W x_n \\rVert_2 / \\lVert x_n \\rVert_2,$$

which approaches the true value from below.

The weight is a linear layer's `[out, in]` matrix mapping `x -> W x`; the paper's
convolution-operator norms are not covered here.

Shapes: `forward(weight: [out, in]) -> {"weight": [out, in], "norm": []}`.
Hyperparameters: `max_norm` is $\\lambda$, `p` the norm, `power_iterations` is $n$.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

Norm = Literal["1", "2", "inf"]


class LipschitzConstantConstraint(nn.Module):
    """Projects weight matrices so that each layer's operator p-norm is at most $\\lambda$."""

    def __init__(self, max_norm: float = 1.0, p: Norm = "2", power_iterations: int = 20) -> None:
        super().__init__()
        if p not in ("1", "2", "inf"):
            raise ValueError(f"p must be '1', '2' or 'inf', got {p!r}")
        if max_norm <= 0.0:
            raise ValueError(f"max_norm lambda must be positive, got {max_norm}")
        self.max_norm = max_norm
        self.p = p
        self.power_iterations = power_iterations

    def operator_norm(self, weight: torch.Tensor) -> torch.Tensor:
        """weight: [out, in] -> ||W||_p, a scalar (the 2-norm by the power method)."""
        if weight.ndim != 2:
            raise ValueError(f"expected a weight matrix [out, in], got shape {tuple(weight.shape)}")
        if self.p == "1":
            # ||W||_1 = max_j sum_i |W_ij|
            return weight.abs().sum(dim=0).amax()
        if self.p == "inf":
            # ||W||_inf = max_i sum_j |W_ij|
            return weight.abs().sum(dim=1).amax()
        x = torch.randn(weight.shape[1], device=weight.device, dtype=weight.dtype)
        for _ in range(self.power_iterations):
            # x_k = W^T W x_{k-1}, renormalised to avoid overflow
            x = weight.T @ (weight @ x)
            x = x / torch.linalg.vector_norm(x)
        # ||W||_2 ≈ ||W x_n|| / ||x_n||
        return torch.linalg.vector_norm(weight @ x) / torch.linalg.vector_norm(x)

    def forward(self, weight: torch.Tensor) -> dict[str, torch.Tensor]:
        """weight: [out, in] -> the projected weight [out, in] and its norm before projection []."""
        norm = self.operator_norm(weight)
        # W <- W / max(1, ||W||_p / lambda)
        projected = weight / torch.clamp(norm / self.max_norm, min=1.0)
        return {"weight": projected, "norm": norm}

    @torch.no_grad()
    def project_(self, module: nn.Module) -> None:
        """Project, in place, the weight of every `nn.Linear` in `module` (call after each step)."""
        for layer in module.modules():
            if isinstance(layer, nn.Linear):
                layer.weight.copy_(self(layer.weight)["weight"])
