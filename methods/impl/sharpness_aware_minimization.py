"""Sharpness-Aware Minimization (SAM), descent with the gradient of the worst nearby point.

Paper: Sharpness-Aware Minimization for Efficiently Improving Generalization -
https://arxiv.org/abs/2010.01412

SAM minimises max_{‖ε‖≤ρ} L(θ + ε). Its first-order solution is the ascent step
ε̂(θ) = ρ · g / ‖g‖₂ (the paper's p = 2), and the descent uses the gradient at
the perturbed point: g_SAM = ∇L(θ)|_{θ + ε̂}. Each step therefore costs two
forward-backward passes: compute g, move to θ + ε̂, compute g_SAM, move back,
and let the base optimizer (SGD here) step with g_SAM. The optimizer follows the
widely used reference implementation (davda54/sam): `first_step` climbs to
θ + ε̂, `second_step` restores θ and steps the base optimizer.

`SAMOnToyObjective` runs SAM on the registry's toy objective and reports the
loss and the sharpness L(θ + ε̂) − L(θ) that SAM sees at each step.
Shapes: `forward(weight: [*]) -> {"losses": [steps], "sharpness": [steps], "weight": [*]}`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn

from methods.outputs import toy_objective


class SAM(torch.optim.Optimizer):
    """Wraps a base optimizer; `step(closure)` takes the two passes, the closure recomputing the loss."""

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        base_optimizer: type[torch.optim.Optimizer] = torch.optim.SGD,
        rho: float = 0.05,
        **base_arguments: float,
    ) -> None:
        super().__init__(params, {"rho": rho, **base_arguments})
        self.base_optimizer = base_optimizer(self.param_groups, **base_arguments)
        self.param_groups = self.base_optimizer.param_groups

    @torch.no_grad()
    def first_step(self) -> None:
        """θ ← θ + ε̂ with ε̂ = ρ g / ‖g‖₂ (the norm taken over every parameter together)."""
        grads = [p.grad for group in self.param_groups for p in group["params"] if p.grad is not None]
        grad_norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
        for group in self.param_groups:
            scale = group["rho"] / (grad_norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                e_w = p.grad * scale
                p.add_(e_w)
                self.state[p]["e_w"] = e_w

    @torch.no_grad()
    def second_step(self) -> None:
        """θ ← θ − ε̂, then the base optimizer steps with the gradient g_SAM taken at θ + ε̂."""
        for group in self.param_groups:
            for p in group["params"]:
                if "e_w" in self.state[p]:
                    p.sub_(self.state[p].pop("e_w"))
        self.base_optimizer.step()

    def step(self, closure: Callable[[], torch.Tensor] | None = None) -> torch.Tensor:
        """One SAM step: `closure` zeroes the gradients, computes the loss and calls backward."""
        if closure is None:
            raise ValueError("SAM needs a closure that recomputes the loss: it takes two passes per step")
        with torch.enable_grad():
            loss = closure()
        self.first_step()
        with torch.enable_grad():
            closure()
        self.second_step()
        return loss


class SAMOnToyObjective(nn.Module):
    """`steps` SAM steps (base SGD, rate `lr`, radius `rho`) on `methods.outputs.toy_objective`."""

    def __init__(self, lr: float = 0.05, rho: float = 0.05, steps: int = 10) -> None:
        super().__init__()
        self.lr, self.rho, self.steps = lr, rho, steps

    def forward(self, weight: torch.Tensor) -> dict[str, torch.Tensor]:
        """weight: [*] the starting point -> losses and sharpness per step, and the final weight."""
        theta = nn.Parameter(weight.detach().clone())
        optimizer = SAM([theta], torch.optim.SGD, rho=self.rho, lr=self.lr)
        perturbed: list[torch.Tensor] = []

        def closure() -> torch.Tensor:
            optimizer.zero_grad()
            loss = toy_objective(theta)
            loss.backward()
            perturbed.append(loss.detach())
            return loss

        losses = [optimizer.step(closure).detach() for _ in range(self.steps)]
        # the closure ran twice per step: at θ (even calls) and at θ + ε̂ (odd calls)
        sharpness = torch.stack(perturbed[1::2]) - torch.stack(perturbed[0::2])
        return {"losses": torch.stack(losses), "sharpness": sharpness, "weight": theta.detach()}
