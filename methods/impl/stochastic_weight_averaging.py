"""Stochastic weight averaging (SWA), the average of the weights SGD visits late in training.

Paper: Averaging Weights Leads to Wider Optima and Better Generalization - https://arxiv.org/abs/1803.05407

After a normal training budget, SGD continues with a constant (or cyclical)
learning rate and the weights at the end of each cycle are averaged:
w_SWA ← (w_SWA · n + w) / (n + 1). The iterates bounce around a wide basin; their
average sits near its centre, which generalises better. This uses PyTorch's own
`torch.optim.swa_utils.AveragedModel` for the running average and `SWALR` for the
constant SWA learning rate, on the registry's toy objective.

Shapes: `forward(weight: [*]) -> {"losses": [steps], "swa_weight": [*], "last_weight": [*], "swa_loss": []}`.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.optim.swa_utils import SWALR, AveragedModel

from methods.outputs import toy_objective


class Point(nn.Module):
    """The toy objective's parameter, wrapped as a module so `AveragedModel` can average it."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.detach().clone())


class StochasticWeightAveraging(nn.Module):
    """`steps` noisy SGD steps at the SWA rate, averaging the weights every `every` steps from `start`."""

    def __init__(
        self, swa_lr: float = 0.15, steps: int = 20, start: int = 10, every: int = 2, noise: float = 2.0
    ):
        super().__init__()
        self.swa_lr, self.steps, self.start, self.every, self.noise = swa_lr, steps, start, every, noise

    def forward(self, weight: torch.Tensor) -> dict[str, torch.Tensor]:
        """weight: [*] the starting point -> loss per step, the averaged and the last weights, f(w_SWA)."""
        point = Point(weight)
        averaged = AveragedModel(point)
        optimizer = torch.optim.SGD(point.parameters(), lr=self.swa_lr)
        scheduler = SWALR(optimizer, swa_lr=self.swa_lr, anneal_epochs=1)
        losses = []
        with torch.enable_grad():
            for step in range(self.steps):
                optimizer.zero_grad()
                loss = toy_objective(point.weight)
                loss.backward()
                # a noisy gradient, standing in for mini-batch noise
                point.weight.grad.add_(torch.randn_like(point.weight) * self.noise)
                optimizer.step()
                losses.append(loss.detach())
                if step >= self.start and (step - self.start) % self.every == 0:
                    # w_SWA ← (n·w_SWA + w) / (n + 1)
                    averaged.update_parameters(point)
                    scheduler.step()
        swa_weight = averaged.module.weight.detach()
        return {
            "losses": torch.stack(losses),
            "swa_weight": swa_weight,
            "last_weight": point.weight.detach(),
            "swa_loss": toy_objective(swa_weight),
        }
