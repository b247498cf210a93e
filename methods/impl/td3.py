"""TD3: Twin Delayed DDPG, with clipped double-Q targets, target policy smoothing and delayed actor updates.

Paper: Addressing Function Approximation Error in Actor-Critic Methods (Fujimoto, van Hoof & Meger,
2018) - https://arxiv.org/abs/1802.09477

TD3 changes DDPG in three ways. Target policy smoothing adds clipped noise to the target action,
$\\tilde a = \\text{clip}(\\mu'(s') + \\text{clip}(\\epsilon, -c, c), -a_\\max, a_\\max)$, $\\epsilon \\sim \\mathcal{N}(0, \\tilde\\sigma^2)$.
Clipped double Q-learning takes the smaller of two target critics,
$$y = r + \\gamma (1 - d) \\min_{i = 1, 2} Q'_{\\theta_i}(s', \\tilde a),$$
and both critics regress on $y$. The actor (and the targets' soft update) is updated only every
$d$ critic updates with $-Q_{\\theta_1}(s, \\mu(s))$; the demo reports that loss as if it were an
actor step. The noise comes from a generator seeded with `seed`. This follows the authors'
`TD3.py`; the networks are small MLPs (paper: 400 and 300 units).

Shapes: `states: [B, S]`, `actions: [B, A]`, `rewards: [B]`, `next_states: [B, S]`, `dones: [B]`
-> `targets: [B]`, `critic_loss: []`, `actor_loss: []`, `smoothed_actions: [B, A]`.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from methods.impl.ddpg import mlp


class TD3(nn.Module):
    """Actor, twin critics, their targets, and TD3's losses on a batch of transitions."""

    def __init__(
        self,
        state_dim: int = 8,
        action_dim: int = 2,
        hidden: int = 64,
        gamma: float = 0.99,
        policy_noise: float = 0.2,
        noise_clip: float = 0.5,
        max_action: float = 1.0,
        seed: int = 0,
    ):
        super().__init__()
        self.actor = mlp(state_dim, hidden, action_dim)
        self.critics = nn.ModuleList(mlp(state_dim + action_dim, hidden, 1) for _ in range(2))
        self.actor_target = copy.deepcopy(self.actor).requires_grad_(False)
        self.critic_targets = copy.deepcopy(self.critics).requires_grad_(False)
        self.gamma, self.policy_noise, self.noise_clip, self.max_action, self.seed = (
            gamma,
            policy_noise,
            noise_clip,
            max_action,
            seed,
        )

    def act(self, actor: nn.Module, states: torch.Tensor) -> torch.Tensor:
        return self.max_action * torch.tanh(actor(states))

    def smoothed_target_action(self, next_states: torch.Tensor) -> torch.Tensor:
        """ã = clip(μ'(s') + clip(ε, −c, c), −a_max, a_max)."""
        target = self.act(self.actor_target, next_states)
        generator = torch.Generator().manual_seed(self.seed)
        noise = (torch.randn(target.shape, generator=generator).to(target) * self.policy_noise).clamp(
            -self.noise_clip, self.noise_clip
        )
        return (target + noise).clamp(-self.max_action, self.max_action)

    def forward(
        self,
        states: torch.Tensor,
        actions: torch.Tensor,
        rewards: torch.Tensor,
        next_states: torch.Tensor,
        dones: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """A batch of transitions -> targets, critic_loss, actor_loss, smoothed_actions."""
        with torch.no_grad():
            smoothed = self.smoothed_target_action(next_states)
            pair = torch.cat([next_states, smoothed], dim=-1)
            # y = r + γ (1 − d) min_i Q'_i(s', ã)
            next_q = torch.minimum(self.critic_targets[0](pair), self.critic_targets[1](pair)).squeeze(-1)
            targets = rewards + self.gamma * (1 - dones.to(rewards.dtype)) * next_q
        current = torch.cat([states, actions], dim=-1)
        critic_loss = sum((critic(current).squeeze(-1) - targets).square().mean() for critic in self.critics)
        actor_loss = -self.critics[0](torch.cat([states, self.act(self.actor, states)], dim=-1)).mean()
        return {
            "targets": targets,
            "critic_loss": critic_loss,
            "actor_loss": actor_loss,
            "smoothed_actions": smoothed,
        }
