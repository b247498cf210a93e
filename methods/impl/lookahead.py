"""Lookahead, slow weights that move towards where fast inner-optimizer weights lead every k steps.

Paper: Lookahead Optimizer: k steps forward, 1 step back - https://arxiv.org/abs/1907.08610

An inner optimizer A (SGD, Adam, …) updates "fast" weights θ for k steps
starting from the "slow" weights φ; then φ ← φ + α(θ_k − φ) and the fast weights
restart from φ. The interpolation damps the inner optimizer's oscillations at
little cost; the paper uses k = 5 or 10 and α = 0.5. The inner optimizer here
is SGD with momentum, the paper's usual pairing.

Shapes: any parameter shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch


class Lookahead(torch.optim.Optimizer):
    """SGD (momentum μ) as the fast optimizer; every k steps φ ← φ + α(θ − φ), θ ← φ."""

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        lr: float = 0.05,
        momentum: float = 0.9,
        k: int = 5,
        alpha: float = 0.5,
    ) -> None:
        super().__init__(params, {"lr": lr, "momentum": momentum, "k": k, "alpha": alpha})
        self.fast = torch.optim.SGD(self.param_groups, lr=lr, momentum=momentum)
        self.param_groups = self.fast.param_groups
        self.steps = 0
        for group in self.param_groups:
            for theta in group["params"]:
                self.state[theta]["slow"] = theta.detach().clone()  # φ₀ = θ₀

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        loss = self.fast.step(closure)
        self.steps += 1
        for group in self.param_groups:
            if self.steps % group["k"]:
                continue
            for theta in group["params"]:
                slow = self.state[theta]["slow"]
                # φ ← φ + α(θ_k − φ); θ ← φ
                slow.add_(theta - slow, alpha=group["alpha"])
                theta.copy_(slow)
        return loss
