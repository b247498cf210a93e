"""What a built entry returns, put in one shape: a dict of named tensors."""

from __future__ import annotations

from typing import Any


def named_outputs(result: Any) -> dict[str, Any]:
    """A tensor becomes `{"output": t}`, a tuple `{"output0": .., "output1": ..}`, a dict stays.

    Non-tensor values (a float, a list of losses) are dropped; callers report them apart.
    """
    import torch

    if isinstance(result, torch.Tensor):
        return {"output": result}
    if isinstance(result, dict):
        return {str(k): v for k, v in result.items() if isinstance(v, torch.Tensor)}
    if isinstance(result, (tuple, list)):
        return {f"output{i}": v for i, v in enumerate(result) if isinstance(v, torch.Tensor)}
    return {}


def toy_objective(weight: Any) -> Any:
    """The small objective an optimizer demo minimizes: a badly conditioned quadratic.

    f(w) = ½ Σᵢ cᵢ (wᵢ − 1)², with curvatures cᵢ spread over [0.1, 10] so that
    momentum and sign-based updates behave differently.
    """
    import torch

    flat = weight.reshape(-1)
    curvature = torch.logspace(-1, 1, flat.numel(), device=flat.device, dtype=flat.dtype)
    return 0.5 * (curvature * (flat - 1.0) ** 2).sum()


def run_optimizer(entry: Any, weight: Any, steps: int = 5, **hyperparameters: Any) -> list[float]:
    """Build the optimizer around a copy of `weight` and return the loss before each of `steps` steps."""
    import torch

    parameter = torch.nn.Parameter(weight.detach().clone())
    optimizer = entry.build([parameter], **hyperparameters)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = toy_objective(parameter)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses
