"""Nesterov Accelerated Gradient (NAG), Nesterov momentum.

Paper: On the importance of initialization and momentum in deep learning (Sutskever, Martens,
Dahl, Hinton, 2013) - https://proceedings.mlr.press/v28/sutskever13.html

NAG is SGD with momentum that evaluates the gradient at the look-ahead point the momentum
is about to carry the parameters to, and then corrects: first jump along the accumulated
velocity, then measure the gradient where it lands. In the paper's form

$$v_{t+1} = \\mu v_t - \\eta \\nabla f(\\theta_t + \\mu v_t), \\qquad \\theta_{t+1} = \\theta_t + v_{t+1}.$$

Evaluating the gradient at a shifted point is awkward inside a training loop, so this
optimizer stores the look-ahead parameters $\\phi_t = \\theta_t + \\mu v_t$ instead (Bengio et
al., 2013, "Advances in optimizing recurrent networks"). With the buffer $b_t = -v_t / \\eta$
the same iteration reads

$$b_{t+1} = \\mu b_t + g_t, \\qquad \\phi_{t+1} = \\phi_t - \\eta (g_t + \\mu b_{t+1}),
\\qquad g_t = \\nabla f(\\phi_t) + \\lambda \\phi_t,$$

which is also what `torch.optim.SGD(nesterov=True)` computes ($\\lambda$: L2 weight decay).

Hyperparameters: `lr` is $\\eta$, `momentum` is $\\mu$, `weight_decay` is $\\lambda$.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch


class NesterovAcceleratedGradient(torch.optim.Optimizer):
    """SGD with Nesterov momentum, stepping the look-ahead parameters $\\phi = \\theta + \\mu v$."""

    def __init__(
        self,
        params: Iterable[torch.Tensor] | Iterable[dict],
        lr: float = 0.02,
        momentum: float = 0.9,
        weight_decay: float = 0.0,
    ) -> None:
        if lr <= 0.0:
            raise ValueError(f"learning rate eta must be positive, got {lr}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum mu must lie in [0, 1), got {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"weight decay lambda must be non-negative, got {weight_decay}")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor | None:
        """One update of every parameter that holds a gradient; returns the closure's loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, mu, decay = group["lr"], group["momentum"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                # g_t = grad f(phi_t) + lambda phi_t
                grad = p.grad.add(p, alpha=decay) if decay else p.grad
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                buffer = state["momentum_buffer"]
                # b_{t+1} = mu b_t + g_t
                buffer.mul_(mu).add_(grad)
                # phi_{t+1} = phi_t - eta (g_t + mu b_{t+1})
                p.add_(grad.add(buffer, alpha=mu), alpha=-lr)
        return loss
