"""DDPG: Deep Deterministic Policy Gradient, an off-policy actor-critic for continuous actions.

Paper: Continuous control with deep reinforcement learning (Lillicrap et al., 2016)
- https://arxiv.org/abs/1509.02971

A deterministic actor $\\mu(s \\mid \\theta^\\mu)$ and a critic $Q(s, a \\mid \\theta^Q)$ learn from replayed
transitions with slowly tracking target networks $\\mu', Q'$ (Algorithm 1):
$$y_i = r_i + \\gamma (1 - d_i) Q'(s_{i+1}, \\mu'(s_{i+1})), \\qquad L_Q = \\frac1N \\sum_i (y_i - Q(s_i, a_i))^2,$$
$$L_\\mu = -\\frac1N \\sum_i Q(s_i, \\mu(s_i)) \\quad(\\text{the deterministic policy gradient}),$$
and after each step the soft update $\\theta' \\leftarrow \\tau \\theta + (1 - \\tau)\\theta'$. The actor
ends in $\\tanh$, scaled to the action bound. Demo networks are MLPs of `hidden` units (the
paper's have 400 and 300); the critic takes the action at its input (the paper adds it at the
second layer).

Shapes: `states: [B, S]`, `actions: [B, A]`, `rewards: [B]`, `next_states: [B, S]`, `dones: [B]`
-> `actor_actions: [B, A]`, `targets: [B]`, `critic_loss: []`, `actor_loss: []`.
"""

from __future__ import annotations

import copy

import torch
from torch import nn


def mlp(inputs: int, hidden: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, outputs)
    )


@torch.no_grad()
def soft_update(target: nn.Module, source: nn.Module, tau: float) -> None:
    """θ' ← τ θ + (1 − τ) θ'."""
    for t, s in zip(target.parameters(), source.parameters(), strict=True):
        t.lerp_(s, tau)


class DDPG(nn.Module):
    """Actor, critic, their target copies and the two DDPG losses on a batch of transitions."""

    def __init__(
        self,
        state_dim: int = 8,
        action_dim: int = 2,
        hidden: int = 64,
        gamma: float = 0.99,
        tau: float = 0.005,
        max_action: float = 1.0,
    ):
        super().__init__()
        self.actor = mlp(state_dim, hidden, action_dim)
        self.critic = mlp(state_dim + action_dim, hidden, 1)
        self.actor_target = copy.deepcopy(self.actor).requires_grad_(False)
        self.critic_target = copy.deepcopy(self.critic).requires_grad_(False)
        self.gamma, self.tau, self.max_action = gamma, tau, max_action

    def act(self, actor: nn.Module, states: torch.Tensor) -> torch.Tensor:
        return self.max_action * torch.tanh(actor(states))

    def q(self, critic: nn.Module, states: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
        return critic(torch.cat([states, actions], dim=-1)).squeeze(-1)

    def update_targets(self) -> None:
        soft_update(self.actor_target, self.actor, self.tau)
        soft_update(self.critic_target, self.critic, self.tau)

    def forward(
        self,
        states: torch.Tensor,
        actions: torch.Tensor,
        rewards: torch.Tensor,
        next_states: torch.Tensor,
        dones: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """A batch of transitions -> actor_actions, targets, critic_loss, actor_loss."""
        with torch.no_grad():
            # y = r + γ (1 − d) Q'(s', μ'(s'))
            next_q = self.q(self.critic_target, next_states, self.act(self.actor_target, next_states))
            targets = rewards + self.gamma * (1 - dones.to(rewards.dtype)) * next_q
        critic_loss = (targets - self.q(self.critic, states, actions)).square().mean()
        actor_actions = self.act(self.actor, states)
        # L_μ = −mean Q(s, μ(s))
        actor_loss = -self.q(self.critic, states, actor_actions).mean()
        return {
            "actor_actions": actor_actions,
            "targets": targets,
            "critic_loss": critic_loss,
            "actor_loss": actor_loss,
        }
