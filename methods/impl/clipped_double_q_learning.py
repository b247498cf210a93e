"""Clipped Double Q-learning: the bootstrap target takes the smaller of two critics' estimates.

Paper: Addressing Function Approximation Error in Actor-Critic Methods (Fujimoto, van Hoof & Meger,
2018) - https://arxiv.org/abs/1802.09477

Actor-critic methods overestimate values as Q-learning does. TD3's fix upper-bounds the less
biased estimate by the other: with two critics $Q_{\\theta_1}, Q_{\\theta_2}$ (their target copies),
$$y = r + \\gamma (1 - d) \\min_{i=1,2} Q_{\\theta'_i}(s', a'),$$
used as the target of both critics. Underestimation is preferred because it does not propagate
through the policy update. This is the target alone, given both critics' next-state values
(the full agent is the TD3 entry); `overestimation` reports how far the single-critic target
would have been above it.

Shapes: `rewards: [B]`, `next_q1: [B]`, `next_q2: [B]`, `dones: [B]` -> `targets: [B]`,
`overestimation: [B]` ($\\gamma (1 - d)(Q_1 - \\min(Q_1, Q_2))$).
"""

from __future__ import annotations

import torch
from torch import nn


class ClippedDoubleQTarget(nn.Module):
    """y = r + γ (1 − d) min(Q'_1, Q'_2)."""

    def __init__(self, gamma: float = 0.99):
        super().__init__()
        self.gamma = gamma

    def forward(
        self, rewards: torch.Tensor, next_q1: torch.Tensor, next_q2: torch.Tensor, dones: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """rewards, next_q1, next_q2, dones: [B] -> targets [B], overestimation [B]."""
        keep = self.gamma * (1 - dones.to(rewards.dtype))
        clipped = torch.minimum(next_q1, next_q2)
        return {"targets": rewards + keep * clipped, "overestimation": keep * (next_q1 - clipped)}
