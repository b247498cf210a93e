"""REINFORCE: the Monte-Carlo policy gradient, log-probabilities weighted by the return that followed.

Paper: Simple Statistical Gradient-Following Algorithms for Connectionist Reinforcement Learning
(Williams, 1992) - https://doi.org/10.1007/BF00992696

For an episode $s_0, a_0, r_1, \\dots$ the return from step $t$ is $G_t = \\sum_{k \\ge t} \\gamma^{k-t} r_{k+1}$
and the policy gradient estimate is $\\sum_t (G_t - b)\\nabla_\\theta \\log \\pi_\\theta(a_t \\mid s_t)$, with
a baseline $b$ that reduces variance without bias (Williams' reinforcement baseline; here the
mean return of the batch when `baseline` is on). The loss minimized is its negative,
$$L(\\theta) = -\\frac{1}{B}\\sum_{b}\\sum_t (G_{b,t} - \\bar G_t)\\log \\pi_\\theta(a_{b,t} \\mid s_{b,t}).$$
The policy is a small MLP over state vectors.

Shapes: `states: [B, T, S]`, `actions: [B, T]`, `rewards: [B, T]` -> `loss: []`, `returns: [B, T]`,
`log_probs: [B, T]`.
"""

from __future__ import annotations

import torch
from torch import nn


def discounted_returns(rewards: torch.Tensor, gamma: float) -> torch.Tensor:
    """G_t = r_{t+1} + γ G_{t+1}, backwards over the last dimension."""
    returns, running = torch.zeros_like(rewards), torch.zeros_like(rewards[..., 0])
    for t in range(rewards.shape[-1] - 1, -1, -1):
        running = rewards[..., t] + gamma * running
        returns[..., t] = running
    return returns


class REINFORCE(nn.Module):
    """A softmax policy and the REINFORCE loss of a batch of episodes."""

    def __init__(
        self,
        state_dim: int = 4,
        num_actions: int = 2,
        hidden: int = 32,
        gamma: float = 0.99,
        baseline: bool = True,
    ):
        super().__init__()
        self.policy = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, num_actions))
        self.gamma, self.baseline = gamma, baseline

    def forward(
        self, states: torch.Tensor, actions: torch.Tensor, rewards: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """states: [B, T, S], actions: [B, T], rewards: [B, T] -> loss, returns [B, T], log_probs [B, T]."""
        log_probs = self.policy(states).log_softmax(dim=-1).gather(2, actions.unsqueeze(2)).squeeze(2)
        returns = discounted_returns(rewards, self.gamma)
        advantage = returns - returns.mean(dim=0, keepdim=True) if self.baseline else returns
        # L = −mean_b Σ_t (G_t − b) log π(a_t | s_t)
        loss = -(advantage * log_probs).sum(dim=1).mean()
        return {"loss": loss, "returns": returns, "log_probs": log_probs}
