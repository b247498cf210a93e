"""Normalizing Flows: a density transformed by a chain of invertible maps, tracked by the change of variables.

Paper: Variational Inference with Normalizing Flows - https://arxiv.org/abs/1505.05770

A sample $z_0 \\sim q_0$ is pushed through $K$ invertible maps, and its density follows from the
change-of-variables rule applied repeatedly:

$$z_K = f_K \\circ \\cdots \\circ f_1(z_0), \\quad \\ln q_K(z_K) = \\ln q_0(z_0) - \\sum_{k=1}^{K} \\ln \\left| \\det \\frac{\\partial f_k}{\\partial z_{k-1}} \\right|$$

The paper's planar flow $f(z) = z + u \\, h(w^\\top z + b)$ with $h = \\tanh$ has the cheap
determinant $|\\det \\partial f / \\partial z| = |1 + u^\\top \\psi(z)|$, $\\psi(z) = h'(w^\\top z + b) w$,
and is invertible when $w^\\top u \\ge -1$, enforced by replacing $u$ with
$\\hat u = u + [m(w^\\top u) - w^\\top u] \\frac{w}{\\|w\\|^2}$, $m(x) = -1 + \\log(1 + e^x)$ (Appendix A).

Shapes: `forward(z0: [B, D])` -> `{"z": [B, D], "log_det": [B], "log_prob": [B]}` with
$q_0 = \\mathcal{N}(0, I)$.

Hyperparameters: `dim` $D$ (2 for the paper's toy densities; 2 here), `num_flows` $K$ (up to 80;
8 here).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class PlanarFlow(nn.Module):
    """f(z) = z + u_hat tanh(w^T z + b), with log |1 + u_hat^T psi(z)|."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.u = nn.Parameter(torch.randn(dim) * 0.1)
        self.w = nn.Parameter(torch.randn(dim) * 0.1)
        self.b = nn.Parameter(torch.zeros(1))

    def u_hat(self) -> torch.Tensor:
        """u + [m(w^T u) - w^T u] w / ||w||^2 so that w^T u_hat >= -1 (invertibility)."""
        wu = self.w @ self.u
        return self.u + (-1 + F.softplus(wu) - wu) * self.w / self.w.pow(2).sum()

    def forward(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """z: [B, D] -> (f(z) [B, D], log |det df/dz| [B])."""
        u = self.u_hat()
        activation = z @ self.w + self.b
        # psi(z) = h'(w^T z + b) w
        psi = (1 - torch.tanh(activation).pow(2))[:, None] * self.w
        return z + u * torch.tanh(activation)[:, None], torch.log((1 + psi @ u).abs() + 1e-12)


class NormalizingFlow(nn.Module):
    """K planar flows on a standard normal base density."""

    def __init__(self, dim: int = 2, num_flows: int = 8) -> None:
        super().__init__()
        self.flows = nn.ModuleList(PlanarFlow(dim) for _ in range(num_flows))

    def forward(self, z0: torch.Tensor) -> dict[str, torch.Tensor]:
        """z0: [B, D] samples of q_0 -> z_K, the summed log-determinants, ln q_K(z_K)."""
        # ln q_0(z_0) for N(0, I)
        log_q0 = -0.5 * (z0.pow(2).sum(-1) + z0.shape[-1] * math.log(2 * math.pi))
        z, log_det = z0, torch.zeros_like(log_q0)
        for flow in self.flows:
            z, step = flow(z)
            log_det = log_det + step
        return {"z": z, "log_det": log_det, "log_prob": log_q0 - log_det}
