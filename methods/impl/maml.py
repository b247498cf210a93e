"""MAML: Model-Agnostic Meta-Learning, an initialization trained through one step of fine-tuning.

Paper: Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks (Finn, Abbeel & Levine,
2017) - https://arxiv.org/abs/1703.03400

For each task $\\mathcal{T}_i$, MAML adapts the shared parameters with a gradient step on the
task's support set, $\\theta_i' = \\theta - \\alpha \\nabla_\\theta \\mathcal{L}_{\\mathcal{T}_i}(f_\\theta)$, and meta-trains
$\\theta$ on the adapted model's loss on the task's query set,
$$\\min_\\theta \\sum_{\\mathcal{T}_i} \\mathcal{L}_{\\mathcal{T}_i}(f_{\\theta - \\alpha \\nabla_\\theta \\mathcal{L}_{\\mathcal{T}_i}(f_\\theta)}),$$
differentiating through the inner step (second order; `first_order` drops those terms, the
paper's first-order approximation). The model is called with the adapted parameters through
`torch.func.functional_call`, the approach of the `learn2learn` and `higher` libraries. The demo
model is a small MLP regressor and the tasks are regression problems (the paper's sinusoids).

Shapes: `support_x: [T, K, D]`, `support_y: [T, K]`, `query_x: [T, Q, D]`, `query_y: [T, Q]`
-> `meta_loss: []` (mean query loss after adaptation), `inner_losses: [T]` (support losses
before it), `query_losses: [T]`.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call


class MAML(nn.Module):
    """One MAML meta-objective: inner step(s) per task, then the query loss of the adapted model."""

    def __init__(
        self,
        in_features: int = 1,
        hidden: int = 40,
        inner_lr: float = 0.01,
        inner_steps: int = 1,
        first_order: bool = False,
    ):
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 1),
        )
        self.inner_lr, self.inner_steps, self.first_order = inner_lr, inner_steps, first_order

    def loss(self, params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return (functional_call(self.model, params, (x,)).squeeze(-1) - y).square().mean()

    def adapt(self, x: torch.Tensor, y: torch.Tensor) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """θ' = θ − α ∇_θ L_support(f_θ), `inner_steps` times; also the first support loss."""
        params = dict(self.model.named_parameters())
        first = None
        for _ in range(self.inner_steps):
            with torch.enable_grad():
                loss = self.loss(params, x, y)
                grads = torch.autograd.grad(loss, list(params.values()), create_graph=not self.first_order)
            first = loss if first is None else first
            params = {name: p - self.inner_lr * g for (name, p), g in zip(params.items(), grads, strict=True)}
        return params, first

    def forward(
        self, support_x: torch.Tensor, support_y: torch.Tensor, query_x: torch.Tensor, query_y: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """Tasks' support and query sets -> meta_loss [], inner_losses [T], query_losses [T]."""
        inner, query = [], []
        for sx, sy, qx, qy in zip(support_x, support_y, query_x, query_y, strict=True):
            adapted, support_loss = self.adapt(sx, sy)
            inner.append(support_loss)
            query.append(self.loss(adapted, qx, qy))
        query_losses = torch.stack(query)
        return {
            "meta_loss": query_losses.mean(),
            "inner_losses": torch.stack(inner).detach(),
            "query_losses": query_losses,
        }
