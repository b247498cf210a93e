"""Kollen-Pollack Learning (KP).

Paper: Deep Learning without Weight Transport (Akrout, Wilson, Humphreys, Lillicrap,
Tweed, 2019) - https://arxiv.org/abs/1904.05391

Backpropagation sends a layer's error back through $W^\\top$, the transpose of the forward
weights, which a biological feedback pathway could not know ("weight transport"). Kollen-
Pollack learning gives each layer separate feedback weights $B$ (shaped like $W^\\top$) that
carry the error, $e_{l-1} = B\\, \\delta_l$, and trains them with the transpose of the forward
update plus the same weight decay:

$$\\Delta W = -\\eta\\, \\delta\\, x^\\top - \\lambda W, \\qquad \\Delta B = -\\eta\\, x\\, \\delta^\\top - \\lambda B .$$

Both weights see the same (transposed) data-driven change, so their difference decays
geometrically, $W_t - B_t^\\top = (1 - \\lambda)^t (W_0 - B_0^\\top)$, and the feedback comes
to equal the transpose of the forward weights without either reading the other.

`KollenPollackLinear` computes `y = x W^T + b`; its backward pass returns `δ B^T` (rows) as the
input gradient and gives `B` the gradient `x^T δ`, the transpose of `W`'s, so
`kollen_pollack_step` (or any optimizer with L2 weight decay) applies the KP update.

Shapes: `forward(x: [*, in_features]) -> [*, out_features]`; `B: [in_features, out_features]`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class _KollenPollackFunction(torch.autograd.Function):
    """y = x W^T + b, with the error sent back through B instead of W^T."""

    @staticmethod
    def forward(
        ctx: torch.autograd.function.FunctionCtx,
        x: torch.Tensor,
        weight: torch.Tensor,
        bias: torch.Tensor | None,
        feedback: torch.Tensor,
    ) -> torch.Tensor:
        ctx.save_for_backward(x, feedback)
        ctx.has_bias = bias is not None
        out = x @ weight.T
        return out + bias if bias is not None else out

    @staticmethod
    def backward(
        ctx: torch.autograd.function.FunctionCtx, delta: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor]:
        x, feedback = ctx.saved_tensors
        flat_x = x.reshape(-1, x.shape[-1])
        flat_delta = delta.reshape(-1, delta.shape[-1])
        # e_{l-1} = B delta (column vectors), i.e. delta B^T for a batch of rows
        grad_x = delta @ feedback.T
        # dL/dW = delta x^T, summed over the batch: [out, in]
        grad_weight = flat_delta.T @ flat_x
        # dL/dB = x delta^T, the transpose of dL/dW: [in, out] (a copy, so the grads share no storage)
        grad_feedback = grad_weight.T.clone()
        grad_bias = flat_delta.sum(dim=0) if ctx.has_bias else None
        return grad_x, grad_weight, grad_bias, grad_feedback


class KollenPollackLinear(nn.Module):
    """A linear layer with learned feedback weights B trained by the Kollen-Pollack rule."""

    def __init__(self, in_features: int = 16, out_features: int = 8, bias: bool = True) -> None:
        super().__init__()
        bound = 1.0 / math.sqrt(in_features)
        # W: [out, in], initialised like nn.Linear
        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound)) if bias else None
        # B: [in, out], shaped like W^T and drawn independently of W
        self.feedback = nn.Parameter(torch.empty(in_features, out_features).uniform_(-bound, bound))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [*, in_features] -> x W^T + b: [*, out_features]."""
        return _KollenPollackFunction.apply(x, self.weight, self.bias, self.feedback)

    @torch.no_grad()
    def kollen_pollack_step(self, lr: float, weight_decay: float) -> None:
        """Apply the KP update from the stored gradients (eta = lr, lambda = weight_decay)."""
        if self.weight.grad is None or self.feedback.grad is None:
            raise RuntimeError("run backward before kollen_pollack_step")
        # Delta W = -eta delta x^T - lambda W
        self.weight.sub_(lr * self.weight.grad + weight_decay * self.weight)
        # Delta B = -eta x delta^T - lambda B
        self.feedback.sub_(lr * self.feedback.grad + weight_decay * self.feedback)
        if self.bias is not None and self.bias.grad is not None:
            # the bias is learned by plain gradient descent
            self.bias.sub_(lr * self.bias.grad)

    def alignment(self) -> torch.Tensor:
        """Cosine similarity between W and B^T, a scalar in [-1, 1]."""
        return torch.nn.functional.cosine_similarity(self.weight.flatten(), self.feedback.T.flatten(), dim=0)
