"""LARS, layer-wise adaptive rate scaling for large-batch SGD.

Paper: Large Batch Training of Convolutional Networks - https://arxiv.org/abs/1708.03888

With very large batches a single global learning rate is too large for some
layers and too small for others. LARS gives each layer l a local rate from the
ratio of its weight norm to its gradient norm,
λ^l = η · ‖w^l‖ / (‖∇L(w^l)‖ + β‖w^l‖), and runs momentum SGD with it:
v^l ← m v^l + γ λ^l (∇L(w^l) + β w^l), w^l ← w^l − v^l, where γ is the global rate,
η the trust coefficient (0.001) and β the weight decay. The paper trains
AlexNet and ResNet-50 with batches of 8k to 32k. Like common implementations,
the local rate is 1 when either norm is zero.

Shapes: any parameter shapes; each tensor is a "layer".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch


class LARS(torch.optim.Optimizer):
    """Momentum SGD whose per-tensor rate is γ·η‖w‖ / (‖g‖ + β‖w‖)."""

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        lr: float = 0.1,
        momentum: float = 0.9,
        weight_decay: float = 5e-4,
        trust_coefficient: float = 0.001,
    ) -> None:
        defaults = {"lr": lr, "momentum": momentum, "weight_decay": weight_decay, "eta": trust_coefficient}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta = group["weight_decay"]
            for w in group["params"]:
                if w.grad is None:
                    continue
                g = w.grad
                w_norm, g_norm = w.norm(), g.norm()
                # λ = η‖w‖ / (‖g‖ + β‖w‖), 1 when a norm vanishes
                local = torch.where(
                    (w_norm > 0) & (g_norm > 0),
                    group["eta"] * w_norm / (g_norm + beta * w_norm),
                    torch.ones_like(w_norm),
                )
                state = self.state[w]
                velocity = state.setdefault("velocity", torch.zeros_like(w))
                # v ← m v + γ λ (g + β w);  w ← w − v
                velocity.mul_(group["momentum"]).add_(group["lr"] * local * (g + beta * w))
                w.sub_(velocity)
        return loss
