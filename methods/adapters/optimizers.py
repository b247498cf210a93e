"""Optimizers that PyTorch implements, adapted to the registry.

Reference: torch.optim - https://docs.pytorch.org/docs/stable/optim.html

Each builder takes the parameters first and the paper's symbols after, and
maps them onto the library's arguments (β1, β2 become `betas`). Weight decay
is SGD with the L2 term λw added to the gradient; gradient clipping is SGD
whose step first rescales the gradient to norm at most `max_norm` with
`torch.nn.utils.clip_grad_norm_`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import optim

Parameters = Iterable[torch.Tensor]


def sgd(params: Parameters, lr: float) -> optim.SGD:
    """θ ← θ − η ∇f(θ)."""
    return optim.SGD(params, lr=lr)


def sgd_momentum(params: Parameters, lr: float, momentum: float, dampening: float) -> optim.SGD:
    """v ← μv + (1 − dampening)∇f(θ); θ ← θ − ηv."""
    return optim.SGD(params, lr=lr, momentum=momentum, dampening=dampening)


def weight_decay(params: Parameters, lr: float, weight_decay: float) -> optim.SGD:
    """θ ← θ − η(∇f(θ) + λθ): gradient descent on f(θ) + (λ/2)‖θ‖²."""
    return optim.SGD(params, lr=lr, weight_decay=weight_decay)


class ClippedSGD(optim.SGD):
    """SGD that rescales the gradients to a total norm of at most `max_norm` before each step."""

    def __init__(self, params: Parameters, lr: float, max_norm: float, norm_type: float) -> None:
        super().__init__(params, lr=lr)
        self.max_norm, self.norm_type = max_norm, norm_type

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        # g ← g · min(1, max_norm / ‖g‖) over all parameters together
        grads = [p for group in self.param_groups for p in group["params"] if p.grad is not None]
        torch.nn.utils.clip_grad_norm_(grads, self.max_norm, norm_type=self.norm_type)
        return super().step(closure)


def gradient_clipping(params: Parameters, lr: float, max_norm: float, norm_type: float) -> ClippedSGD:
    """SGD with the gradient clipped by its norm (Pascanu et al. 2013)."""
    return ClippedSGD(params, lr=lr, max_norm=max_norm, norm_type=norm_type)


def adam(params: Parameters, lr: float, beta1: float, beta2: float, eps: float, amsgrad: bool) -> optim.Adam:
    """Adam: bias-corrected moving averages of the gradient and its square."""
    return optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps, amsgrad=amsgrad)


def amsgrad(params: Parameters, lr: float, beta1: float, beta2: float, eps: float) -> optim.Adam:
    """AMSGrad: Adam normalised by the running maximum of v̂, so the effective rate never grows."""
    return optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps, amsgrad=True)


def adamw(
    params: Parameters, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float
) -> optim.AdamW:
    """Adam with decoupled weight decay: θ ← θ − η(m̂/(√v̂ + ε) + λθ)."""
    return optim.AdamW(params, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)


def adamax(params: Parameters, lr: float, beta1: float, beta2: float, eps: float) -> optim.Adamax:
    """Adam with the infinity norm: u ← max(β2·u, |g|)."""
    return optim.Adamax(params, lr=lr, betas=(beta1, beta2), eps=eps)


def nadam(
    params: Parameters, lr: float, beta1: float, beta2: float, eps: float, momentum_decay: float
) -> optim.NAdam:
    """Adam with Nesterov momentum: the update uses the look-ahead first moment."""
    return optim.NAdam(params, lr=lr, betas=(beta1, beta2), eps=eps, momentum_decay=momentum_decay)


def radam(params: Parameters, lr: float, beta1: float, beta2: float, eps: float) -> optim.RAdam:
    """Adam with the variance of the adaptive learning rate rectified (momentum SGD while it is large)."""
    return optim.RAdam(params, lr=lr, betas=(beta1, beta2), eps=eps)


def rmsprop(
    params: Parameters, lr: float, alpha: float, eps: float, momentum: float, centered: bool
) -> optim.RMSprop:
    """Divides the gradient by a running root mean square of recent gradients (decay α)."""
    return optim.RMSprop(params, lr=lr, alpha=alpha, eps=eps, momentum=momentum, centered=centered)


def adagrad(
    params: Parameters, lr: float, lr_decay: float, initial_accumulator_value: float, eps: float
) -> optim.Adagrad:
    """Divides the gradient by the root of the sum of all past squared gradients."""
    return optim.Adagrad(
        params, lr=lr, lr_decay=lr_decay, initial_accumulator_value=initial_accumulator_value, eps=eps
    )


def adadelta(params: Parameters, lr: float, rho: float, eps: float) -> optim.Adadelta:
    """Ratio of running RMS of past updates to running RMS of gradients: units-consistent, no global rate."""
    return optim.Adadelta(params, lr=lr, rho=rho, eps=eps)


def adafactor(
    params: Parameters, lr: float, beta2_decay: float, eps2: float, d: float, weight_decay: float
) -> optim.Adafactor:
    """Adafactor: factored (row and column) second moments, update clipping d, decay 1 − t^c."""
    return optim.Adafactor(
        params, lr=lr, beta2_decay=beta2_decay, eps=(None, eps2), d=d, weight_decay=weight_decay
    )
