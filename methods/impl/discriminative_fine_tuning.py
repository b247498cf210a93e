"""Discriminative Fine-Tuning: each layer fine-tuned with its own learning rate, lower toward the input.

Paper: Universal Language Model Fine-tuning for Text Classification (Howard & Ruder, 2018)
- https://arxiv.org/abs/1801.06146

ULMFiT splits the parameters by layer, $\\{\\theta^1, \\dots, \\theta^L\\}$, and gives each its own
learning rate in the SGD update $\\theta_t^l = \\theta_{t-1}^l - \\eta^l \\nabla_{\\theta^l} J(\\theta)$: the last
layer gets $\\eta^L$ and each earlier one $\\eta^{l-1} = \\eta^l / 2.6$ (the paper's factor), because
lower layers hold more general features that should change less. fastai implements it with one
optimizer parameter group per layer; the demo takes the same SGD step out of place, so the
module keeps its weights and the loss after the step stays differentiable.

The demo fine-tunes a small MLP of `num_layers` layers for one step on `(x, labels)`.
Shapes: `x: [B, D]`, `labels: [B]` -> `layer_lrs: [L]` ($\\eta^l$), `update_norms: [L]`
($\\lVert \\Delta\\theta^l \\rVert$ of the step), `loss: []` (before the step), `loss_after: []`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.func import functional_call


class DiscriminativeFineTuning(nn.Module):
    """One SGD step on an L-layer MLP with per-layer learning rates η^l = η^L / factor^(L − l)."""

    def __init__(
        self,
        in_features: int = 16,
        num_classes: int = 4,
        num_layers: int = 3,
        lr: float = 0.1,
        factor: float = 2.6,
    ):
        super().__init__()
        widths = [in_features] + [32] * (num_layers - 1) + [num_classes]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in itertools.pairwise(widths))
        # η^{l−1} = η^l / 2.6
        self.lrs = [lr / factor ** (num_layers - 1 - i) for i in range(num_layers)]

    @staticmethod
    def logits(layers: Sequence[Callable[[torch.Tensor], torch.Tensor]], x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(layers):
            x = layer(x) if i == len(layers) - 1 else torch.relu(layer(x))
        return x

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D], labels: [B] -> layer_lrs [L], update_norms [L], loss [], loss_after []."""
        names = [[n for n, _ in layer.named_parameters()] for layer in self.layers]
        with torch.enable_grad():
            loss = nn.functional.cross_entropy(self.logits(self.layers, x), labels)
            grads = torch.autograd.grad(loss, list(self.parameters()))
        # θ^l_t = θ^l_{t−1} − η^l ∇_{θ^l} J(θ), layer by layer
        steps, updated, g = [], [], iter(grads)
        for layer, lr, layer_names in zip(self.layers, self.lrs, names, strict=True):
            deltas = {n: -lr * next(g) for n in layer_names}
            steps.append(torch.cat([d.flatten() for d in deltas.values()]).norm())
            updated.append({n: p + deltas[n] for n, p in layer.named_parameters()})
        stepped = [_Stepped(layer, params) for layer, params in zip(self.layers, updated, strict=True)]
        return {
            "layer_lrs": torch.tensor(self.lrs, device=x.device),
            "update_norms": torch.stack(steps),
            "loss": loss.detach(),
            "loss_after": nn.functional.cross_entropy(self.logits(stepped, x), labels),
        }


class _Stepped:
    """A linear layer called with updated parameters, leaving the module's own untouched."""

    def __init__(self, layer: nn.Module, params: dict[str, torch.Tensor]):
        self.layer, self.params = layer, params

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return functional_call(self.layer, self.params, (x,))
