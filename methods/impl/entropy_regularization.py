"""Entropy regularization, a bonus for policy entropy that keeps exploration alive.

Paper: Asynchronous Methods for Deep Reinforcement Learning (A3C) - https://arxiv.org/abs/1602.01783

A policy-gradient actor tends to collapse early onto a few actions. A3C adds
the entropy of the policy to the objective, ∇ log π(a_t|s_t)(R_t − V(s_t)) + β ∇H(π(s_t)),
i.e. subtracts β·H from the loss, with H(π(·|s)) = −Σ_a π(a|s) log π(a|s) and
β = 0.01 in the paper. The regularizer's loss term is −β·mean_s H(π(·|s)).

Shapes: `forward(logits: [B, A]) -> {"loss": [], "entropy": [B]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class EntropyRegularization(nn.Module):
    """−β · mean H(π), with π = softmax(logits)."""

    def __init__(self, beta: float = 0.01) -> None:
        super().__init__()
        self.beta = beta

    def forward(self, logits: torch.Tensor) -> dict[str, torch.Tensor]:
        """logits: [B, A] unnormalised action scores of the policy π(·|s) for B states."""
        log_pi = logits.log_softmax(dim=-1)
        # H(π) = −Σ_a π(a) log π(a)
        entropy = -(log_pi.exp() * log_pi).sum(dim=-1)
        return {"loss": -self.beta * entropy.mean(), "entropy": entropy}
