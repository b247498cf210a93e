"""Flow Matching: a velocity field regressed on the straight-line paths from noise to data (conditional / rectified flow).

Paper: Flow Matching for Generative Modeling (Lipman, Chen, Ben-Hamu, Nickel & Le, 2023)
- https://arxiv.org/abs/2210.02747

A continuous normalizing flow $\\dot x = v_\\theta(t, x)$ is trained without simulation by
regressing $v_\\theta$ on the velocity of a conditional probability path. With the optimal-transport
path from noise $x_0 \\sim \\mathcal{N}(0, I)$ to a data point $x_1$, $x_t = (1 - (1 - \\sigma_\\min) t)\\, x_0 + t x_1$,
the conditional flow matching loss is
$$\\mathcal{L}_{CFM}(\\theta) = \\mathbb{E}_{t, x_0, x_1} \\lVert v_\\theta(t, x_t) - (x_1 - (1 - \\sigma_\\min) x_0) \\rVert^2,$$
which with $\\sigma_\\min = 0$ is rectified flow (Liu et al., 2022). Sampling integrates the ODE
from $t = 0$ to 1; `euler_steps` Euler steps are taken here. $t$ and $x_0$ come from a generator
seeded with `seed`; $v_\\theta$ is an MLP on $[x, t]$.

Shapes: `data: [B, D]` ($x_1$) -> `loss: []`, `velocity: [B, D]`, `samples: [B, D]` (ODE solutions
from fresh noise).
"""

from __future__ import annotations

import torch
from torch import nn


class FlowMatching(nn.Module):
    """An MLP velocity field, the CFM loss on OT paths and Euler sampling."""

    def __init__(
        self, dim: int = 2, hidden: int = 64, sigma_min: float = 0.0, euler_steps: int = 8, seed: int = 0
    ):
        super().__init__()
        self.velocity = nn.Sequential(
            nn.Linear(dim + 1, hidden),
            nn.SiLU(),
            nn.Linear(hidden, hidden),
            nn.SiLU(),
            nn.Linear(hidden, dim),
        )
        self.sigma_min, self.euler_steps, self.seed = sigma_min, euler_steps, seed

    def field(self, t: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        return self.velocity(torch.cat([x, t.expand(x.shape[0], 1)], dim=1))

    def forward(self, data: torch.Tensor) -> dict[str, torch.Tensor]:
        """data: [B, D] -> loss [], velocity [B, D], samples [B, D]."""
        generator = torch.Generator().manual_seed(self.seed)
        b = data.shape[0]
        t = torch.rand(b, 1, generator=generator).to(data)
        x0 = torch.randn(data.shape, generator=generator).to(data)
        # x_t = (1 − (1 − σ_min) t) x0 + t x1;  u_t = x1 − (1 − σ_min) x0
        xt = (1 - (1 - self.sigma_min) * t) * x0 + t * data
        target = data - (1 - self.sigma_min) * x0
        velocity = self.velocity(torch.cat([xt, t], dim=1))
        loss = (velocity - target).square().sum(dim=1).mean()
        x = torch.randn(data.shape, generator=generator).to(data)
        dt = 1.0 / self.euler_steps
        for i in range(self.euler_steps):
            x = x + dt * self.field(torch.full((1, 1), i * dt, dtype=data.dtype, device=data.device), x)
        return {"loss": loss, "velocity": velocity, "samples": x}
