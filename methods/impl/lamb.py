"""LAMB, layer-wise adaptive moments for batch training.

Paper: Large Batch Optimization for Deep Learning: Training BERT in 76 minutes -
https://arxiv.org/abs/1904.00962

LAMB is AdamW with a per-layer trust ratio: each parameter tensor's update is
rescaled so that its norm is proportional to the tensor's own norm, which lets
BERT train with batches of 64k without divergence. Algorithm 2 of the paper,
for one layer with gradient g_t:

    m_t = β1 m_{t−1} + (1 − β1) g_t,   v_t = β2 v_{t−1} + (1 − β2) g_t²
    m̂_t = m_t / (1 − β1^t),            v̂_t = v_t / (1 − β2^t)
    r_t = m̂_t / (√v̂_t + ε) + λ θ_t
    θ_{t+1} = θ_t − η · φ(‖θ_t‖) / ‖r_t‖ · r_t,   with φ the identity

and the trust ratio taken as 1 when either norm is zero (as in the reference
implementations, e.g. NVIDIA's apex FusedLAMB). See also Adam, AdamW and LARS.

Shapes: any parameter shapes; the trust ratio is computed per tensor ("layer").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch


class LAMB(torch.optim.Optimizer):
    """Adam moments, decoupled weight decay λ, and the layer-wise trust ratio ‖θ‖ / ‖r‖."""

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-6,
        weight_decay: float = 0.01,
    ) -> None:
        defaults = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["beta1"], group["beta2"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["m"] = torch.zeros_like(p)
                    state["v"] = torch.zeros_like(p)
                state["step"] += 1
                t, m, v, g = state["step"], state["m"], state["v"], p.grad
                # m_t = β1 m + (1 − β1) g ;  v_t = β2 v + (1 − β2) g²
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                # r_t = m̂ / (√v̂ + ε) + λθ
                m_hat = m / (1 - beta1**t)
                v_hat = v / (1 - beta2**t)
                r = m_hat / (v_hat.sqrt() + group["eps"]) + group["weight_decay"] * p
                # trust ratio φ(‖θ‖) / ‖r‖, 1 when either norm vanishes
                w_norm, r_norm = p.norm(), r.norm()
                trust = torch.where((w_norm > 0) & (r_norm > 0), w_norm / r_norm, torch.ones_like(w_norm))
                # θ ← θ − η · trust · r
                p.sub_(group["lr"] * trust * r)
        return loss
