"""NTK: the empirical Neural Tangent Kernel, inner products of the network's parameter gradients.

Paper: Neural Tangent Kernel: Convergence and Generalization in Neural Networks (Jacot, Gabriel &
Hongler, 2018) - https://arxiv.org/abs/1806.07572

For a network $f(x; \\theta)$ the neural tangent kernel is
$$\\Theta(x, x') = \\nabla_\\theta f(x; \\theta)^\\top \\nabla_\\theta f(x'; \\theta),$$
which governs gradient-descent training in function space, $\\partial_t f = -\\Theta\\, \\nabla_f \\mathcal{L}$;
in the infinite-width limit of the NTK parametrization ($W / \\sqrt{n}$) it is deterministic
and constant during training. This computes the empirical NTK of a finite MLP in the NTK
parametrization at initialization, from per-example Jacobians, one backward pass per input
(`neural-tangents`' `empirical_ntk_fn` computes the same contraction of Jacobians).

Shapes: `x1: [N, D]`, `x2: [M, D]` -> `kernel: [N, M]`, `outputs1: [N]`.
"""

from __future__ import annotations

import torch
from torch import nn


class NTKLinear(nn.Module):
    """y = W x / √n + β b, the NTK parametrization (weights and biases ~ N(0, 1))."""

    def __init__(self, inputs: int, outputs: int, beta: float):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(outputs, inputs))
        self.bias = nn.Parameter(torch.randn(outputs))
        self.scale, self.beta = inputs**-0.5, beta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scale * x @ self.weight.T + self.beta * self.bias


class EmpiricalNTK(nn.Module):
    """Θ(x, x') of an MLP in the NTK parametrization, from its parameter Jacobians."""

    def __init__(self, in_features: int = 4, width: int = 64, depth: int = 2, beta: float = 0.1):
        super().__init__()
        layers: list[nn.Module] = []
        for i in range(depth):
            layers += [NTKLinear(in_features if i == 0 else width, width, beta), nn.ReLU()]
        layers.append(NTKLinear(width, 1, beta))
        self.network = nn.Sequential(*layers)

    def jacobian(self, x: torch.Tensor) -> torch.Tensor:
        """∇_θ f(x) for each row of x, flattened: [N, P] (one backward pass per row)."""
        params = list(self.network.parameters())
        rows = []
        with torch.enable_grad():
            for row in x:
                grads = torch.autograd.grad(self.network(row[None]).sum(), params, create_graph=self.training)
                rows.append(torch.cat([grad.flatten() for grad in grads]))
        return torch.stack(rows)

    def forward(self, x1: torch.Tensor, x2: torch.Tensor) -> dict[str, torch.Tensor]:
        """x1: [N, D], x2: [M, D] -> kernel [N, M], outputs1 [N]."""
        # Θ(x, x') = ∇θ f(x)ᵀ ∇θ f(x')
        kernel = self.jacobian(x1) @ self.jacobian(x2).T
        return {"kernel": kernel, "outputs1": self.network(x1).squeeze(-1)}
