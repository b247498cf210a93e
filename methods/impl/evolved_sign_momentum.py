"""Evolved Sign Momentum (Lion).

Paper: Symbolic Discovery of Optimization Algorithms (Chen et al., 2023) -
https://arxiv.org/abs/2302.06675

Lion was found by a symbolic program search over optimizers. It keeps one momentum buffer
(half of Adam's state) and moves every coordinate by the same magnitude: the sign of an
interpolation between the momentum and the current gradient, plus decoupled weight decay.
The interpolation used for the update ($\\beta_1$) and the one used to track the momentum
($\\beta_2$) differ:

$$c_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t,$$
$$\\theta_t = \\theta_{t-1} - \\eta \\, (\\mathrm{sign}(c_t) + \\lambda \\theta_{t-1}),$$
$$m_t = \\beta_2 m_{t-1} + (1 - \\beta_2) g_t.$$

Because the update has unit magnitude per coordinate, the paper advises a learning rate
3-10x smaller than AdamW's and a weight decay 3-10x larger.

Hyperparameters: `lr` is $\\eta$, `beta1` is $\\beta_1$, `beta2` is $\\beta_2$,
`weight_decay` is $\\lambda$.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch


class Lion(torch.optim.Optimizer):
    """The Lion update: sign of the interpolated momentum, decoupled weight decay."""

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float = 0.01,
        beta1: float = 0.9,
        beta2: float = 0.99,
        weight_decay: float = 0.0,
    ) -> None:
        if lr <= 0.0:
            raise ValueError(f"learning rate eta must be positive, got {lr}")
        if not (0.0 <= beta1 <= 1.0 and 0.0 <= beta2 <= 1.0):
            raise ValueError(f"beta1 and beta2 must lie in [0, 1], got {beta1}, {beta2}")
        if weight_decay < 0.0:
            raise ValueError(f"weight decay lambda must be non-negative, got {weight_decay}")
        defaults = {"lr": lr, "beta1": beta1, "beta2": beta2, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor | None:
        """One update of every parameter that holds a gradient; returns the closure's loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, beta1, beta2, decay = group["lr"], group["beta1"], group["beta2"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if "exp_avg" not in state:
                    state["exp_avg"] = torch.zeros_like(p)
                momentum = state["exp_avg"]
                # c_t = beta1 m_{t-1} + (1 - beta1) g_t
                interpolation = momentum.mul(beta1).add_(grad, alpha=1.0 - beta1)
                # theta_t = theta_{t-1} - eta (sign(c_t) + lambda theta_{t-1})
                p.mul_(1.0 - lr * decay).add_(interpolation.sign_(), alpha=-lr)
                # m_t = beta2 m_{t-1} + (1 - beta2) g_t
                momentum.mul_(beta2).add_(grad, alpha=1.0 - beta2)
        return loss
