"""Learning-rate schedules that PyTorch implements, adapted to the registry.

Reference: torch.optim.lr_scheduler - https://docs.pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate

A schedule's demo is its curve: `LearningRateCurve` steps the library
scheduler `total_steps` times on a throwaway SGD optimizer and returns the
learning rate η_t in force at each step t = 0 … total_steps − 1.
Shapes: `forward() -> {"lr": [total_steps]}`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn
from torch.optim import lr_scheduler

SchedulerFactory = Callable[[torch.optim.Optimizer], lr_scheduler.LRScheduler]


class LearningRateCurve(nn.Module):
    """η_t for t = 0 … total_steps − 1 under the scheduler that `factory` builds."""

    def __init__(self, factory: SchedulerFactory, base_lr: float, total_steps: int) -> None:
        super().__init__()
        self.factory, self.base_lr, self.total_steps = factory, base_lr, total_steps

    def scheduler(self) -> lr_scheduler.LRScheduler:
        """A fresh scheduler over a one-parameter SGD optimizer at `base_lr`."""
        optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=self.base_lr)
        return self.factory(optimizer)

    def forward(self) -> dict[str, torch.Tensor]:
        scheduler, rates = self.scheduler(), []
        for _ in range(self.total_steps):
            rates.append(scheduler.get_last_lr()[0])
            scheduler.optimizer.step()
            scheduler.step()
        return {"lr": torch.tensor(rates, dtype=torch.float32)}


def cosine_annealing(
    total_steps: int, base_lr: float, eta_min: float, T_0: int, T_mult: int
) -> LearningRateCurve:
    """SGDR: η_t = η_min + ½(η_max − η_min)(1 + cos(π T_cur / T_i)), restarting after T_i steps."""
    return LearningRateCurve(
        lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=T_0, T_mult=T_mult, eta_min=eta_min),
        base_lr,
        total_steps,
    )


def _warmup(optimizer: torch.optim.Optimizer, warmup_steps: int) -> lr_scheduler.LinearLR:
    # η rises linearly from η/warmup to η over the warmup steps
    return lr_scheduler.LinearLR(
        optimizer, start_factor=1.0 / warmup_steps, end_factor=1.0, total_iters=warmup_steps
    )


def linear_warmup(total_steps: int, base_lr: float, warmup_steps: int) -> LearningRateCurve:
    """Linear rise to η over the warmup steps, then constant."""
    return LearningRateCurve(lambda o: _warmup(o, warmup_steps), base_lr, total_steps)


def slanted_triangular(total_steps: int, base_lr: float, cut_frac: float, ratio: float) -> LearningRateCurve:
    """ULMFiT's STLR: p = t/cut or 1 − (t − cut)/(cut·(1/cut_frac − 1)), η_t = η_max (1 + p(ratio − 1))/ratio."""
    cut = max(1, math.floor(total_steps * cut_frac))

    def factor(t: int) -> float:
        p = t / cut if t < cut else 1 - (t - cut) / (cut * (1 / cut_frac - 1))
        return (1 + p * (ratio - 1)) / ratio

    return LearningRateCurve(lambda o: lr_scheduler.LambdaLR(o, factor), base_lr, total_steps)


def linear_warmup_linear_decay(total_steps: int, base_lr: float, warmup_steps: int) -> LearningRateCurve:
    """Linear rise to η over the warmup steps, then linear decay to 0 at `total_steps` (BERT)."""

    def factory(o: torch.optim.Optimizer) -> lr_scheduler.LRScheduler:
        decay = lr_scheduler.LinearLR(
            o, start_factor=1.0, end_factor=0.0, total_iters=total_steps - warmup_steps
        )
        return lr_scheduler.SequentialLR(o, [_warmup(o, warmup_steps), decay], milestones=[warmup_steps])

    return LearningRateCurve(factory, base_lr, total_steps)


def linear_warmup_cosine_annealing(
    total_steps: int, base_lr: float, warmup_steps: int, eta_min: float
) -> LearningRateCurve:
    """Linear rise to η over the warmup steps, then a half cosine down to η_min at `total_steps`."""

    def factory(o: torch.optim.Optimizer) -> lr_scheduler.LRScheduler:
        cosine = lr_scheduler.CosineAnnealingLR(o, T_max=total_steps - warmup_steps, eta_min=eta_min)
        return lr_scheduler.SequentialLR(o, [_warmup(o, warmup_steps), cosine], milestones=[warmup_steps])

    return LearningRateCurve(factory, base_lr, total_steps)


def inverse_square_root(total_steps: int, d_model: int, warmup_steps: int, scale: float) -> LearningRateCurve:
    """Transformer: η_t = scale · d_model^-0.5 · min(t^-0.5, t · warmup^-1.5), t counted from 1."""

    def factor(t: int) -> float:
        step = t + 1
        return scale * d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)

    return LearningRateCurve(lambda o: lr_scheduler.LambdaLR(o, factor), 1.0, total_steps)


def exponential_decay(total_steps: int, base_lr: float, gamma: float) -> LearningRateCurve:
    """η_t = η_0 · γ^t."""
    return LearningRateCurve(lambda o: lr_scheduler.ExponentialLR(o, gamma=gamma), base_lr, total_steps)


def step_decay(total_steps: int, base_lr: float, step_size: int, gamma: float) -> LearningRateCurve:
    """η_t = η_0 · γ^⌊t / step_size⌋: drops by γ every `step_size` steps."""
    return LearningRateCurve(
        lambda o: lr_scheduler.StepLR(o, step_size=step_size, gamma=gamma), base_lr, total_steps
    )


def polynomial_decay(total_steps: int, base_lr: float, decay_steps: int, power: float) -> LearningRateCurve:
    """η_t = η_0 · (1 − min(t, T)/T)^p, with T = `decay_steps`."""
    return LearningRateCurve(
        lambda o: lr_scheduler.PolynomialLR(o, total_iters=decay_steps, power=power), base_lr, total_steps
    )


def one_cycle(
    total_steps: int,
    max_lr: float,
    pct_start: float,
    div_factor: float,
    final_div_factor: float,
    anneal_strategy: str,
) -> LearningRateCurve:
    """1cycle: up from max_lr/div to max_lr over pct_start of the run, then down to far below the start."""
    return LearningRateCurve(
        lambda o: lr_scheduler.OneCycleLR(
            o,
            max_lr=max_lr,
            total_steps=total_steps,
            pct_start=pct_start,
            anneal_strategy=anneal_strategy,
            div_factor=div_factor,
            final_div_factor=final_div_factor,
            cycle_momentum=False,
        ),
        max_lr / div_factor,
        total_steps,
    )


def cyclical(
    total_steps: int, base_lr: float, max_lr: float, step_size_up: int, mode: str
) -> LearningRateCurve:
    """Cyclical learning rates: η oscillates between base_lr and max_lr, a half cycle lasting `step_size_up`."""
    return LearningRateCurve(
        lambda o: lr_scheduler.CyclicLR(
            o, base_lr=base_lr, max_lr=max_lr, step_size_up=step_size_up, mode=mode, cycle_momentum=False
        ),
        base_lr,
        total_steps,
    )
