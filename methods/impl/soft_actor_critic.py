"""Soft Actor-Critic: off-policy maximum-entropy actor-critic with a squashed Gaussian policy and twin critics.

Paper: Soft Actor-Critic: Off-Policy Maximum Entropy Deep Reinforcement Learning with a Stochastic
Actor (Haarnoja, Zhou, Abbeel & Levine, 2018) - https://arxiv.org/abs/1801.01290 ; the learned
temperature: Soft Actor-Critic Algorithms and Applications (Haarnoja et al., 2018) -
https://arxiv.org/abs/1812.05905

SAC maximizes reward plus the policy's entropy, $\\sum_t \\mathbb{E}[r_t + \\alpha \\mathcal{H}(\\pi(\\cdot \\mid s_t))]$.
The policy is a Gaussian squashed by tanh, sampled by reparameterization
($a = \\tanh(\\mu + \\sigma \\odot \\epsilon)$, with the log-likelihood corrected by
$-\\sum \\log(1 - \\tanh^2)$). Twin critics regress on the soft target
$$y = r + \\gamma (1 - d) \\left(\\min_{i} Q_{\\bar\\theta_i}(s', a') - \\alpha \\log \\pi(a' \\mid s')\\right), \\quad a' \\sim \\pi(\\cdot \\mid s'),$$
and the actor minimizes $\\mathbb{E}[\\alpha \\log \\pi(a \\mid s) - \\min_i Q_{\\theta_i}(s, a)]$. With `autotune`, the
temperature is learned (the second paper) by minimizing
$-\\log\\alpha\\,(\\log \\pi(a \\mid s) + \\bar{\\mathcal{H}})$ toward the target entropy $\\bar{\\mathcal{H}} = -|A|$. Noise comes from a
generator seeded with `seed`; networks are small MLPs (paper 256 units), following the
structure of Spinning Up's `sac`.

Shapes: `states: [B, S]`, `actions: [B, A]`, `rewards: [B]`, `next_states: [B, S]`, `dones: [B]`
-> `targets: [B]`, `critic_loss: []`, `actor_loss: []`, `alpha_loss: []`, `log_probs: [B]`.
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

from methods.impl.ddpg import mlp


class SoftActorCritic(nn.Module):
    """Squashed Gaussian actor, twin soft Q critics with targets, and (optionally learned) temperature."""

    def __init__(
        self,
        state_dim: int = 8,
        action_dim: int = 2,
        hidden: int = 64,
        gamma: float = 0.99,
        alpha: float = 0.2,
        autotune: bool = False,
        seed: int = 0,
    ):
        super().__init__()
        self.actor = mlp(state_dim, hidden, 2 * action_dim)
        self.critics = nn.ModuleList(mlp(state_dim + action_dim, hidden, 1) for _ in range(2))
        self.critic_targets = copy.deepcopy(self.critics).requires_grad_(False)
        self.log_alpha = nn.Parameter(torch.tensor(math.log(alpha)), requires_grad=autotune)
        self.gamma, self.autotune, self.seed, self.action_dim = gamma, autotune, seed, action_dim

    def sample(self, states: torch.Tensor, noise: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """a = tanh(μ + σ ε) and log π(a|s) with the tanh correction."""
        mean, log_std = self.actor(states).chunk(2, dim=-1)
        std = log_std.clamp(-20, 2).exp()
        pre = mean + std * noise
        log_prob = torch.distributions.Normal(mean, std).log_prob(pre).sum(dim=-1)
        # − Σ log(1 − tanh²(u)), written stably as 2 (log 2 − u − softplus(−2u))
        log_prob = log_prob - (2 * (math.log(2) - pre - nn.functional.softplus(-2 * pre))).sum(dim=-1)
        return torch.tanh(pre), log_prob

    def q(self, critics: nn.ModuleList, states: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
        pair = torch.cat([states, actions], dim=-1)
        return torch.minimum(critics[0](pair), critics[1](pair)).squeeze(-1)

    def forward(
        self,
        states: torch.Tensor,
        actions: torch.Tensor,
        rewards: torch.Tensor,
        next_states: torch.Tensor,
        dones: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """A batch of transitions -> targets, critic_loss, actor_loss, alpha_loss, log_probs."""
        generator = torch.Generator().manual_seed(self.seed)
        eps = torch.randn(2, *actions.shape, generator=generator).to(actions)
        alpha = self.log_alpha.exp()
        with torch.no_grad():
            next_actions, next_log_prob = self.sample(next_states, eps[0])
            # y = r + γ (1 − d)(min_i Q̄_i(s', a') − α log π(a'|s'))
            soft_value = self.q(self.critic_targets, next_states, next_actions) - alpha * next_log_prob
            targets = rewards + self.gamma * (1 - dones.to(rewards.dtype)) * soft_value
        pair = torch.cat([states, actions], dim=-1)
        critic_loss = sum((critic(pair).squeeze(-1) - targets).square().mean() for critic in self.critics)
        new_actions, log_prob = self.sample(states, eps[1])
        # E[α log π(a|s) − min_i Q_i(s, a)]
        actor_loss = (alpha.detach() * log_prob - self.q(self.critics, states, new_actions)).mean()
        # −log α (log π + H̄), H̄ = −|A|
        alpha_loss = -(self.log_alpha * (log_prob.detach() - self.action_dim)).mean()
        return {
            "targets": targets,
            "critic_loss": critic_loss,
            "actor_loss": actor_loss,
            "alpha_loss": alpha_loss,
            "log_probs": log_prob,
        }
