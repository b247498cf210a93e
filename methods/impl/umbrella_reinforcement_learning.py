"""Umbrella Reinforcement Learning: policy gradient for an ensemble of agents with ensemble entropy.

Paper: Umbrella Reinforcement Learning - computationally efficient tool for hard non-linear
problems (Nuzhin & Brilliantov, 2024) - https://arxiv.org/abs/2411.14117

Borrowing umbrella sampling from computational physics, the method trains one policy for a
continuous ensemble of simultaneously acting agents with state density $p(s)$ instead of
single trajectories. The reward is modified by the ensemble entropy $-\\int p \\ln p$ (and the
policy entropy), which pays agents for spreading into rarely visited states: an
exploration-exploitation balance for sparse rewards, state traps and missing terminal states.
States are sampled at random over the state space (not along trajectories), and three networks
estimate the value $V(s)$, the log-density $\\ln p(s)$ and the policy $\\pi(a|s)$.

The setting is continuous-time: $\\dot s = v(s, a)$, reward rate $r(s, a)$, discount $\\gamma$
per unit time; agents leave at rate $-\\ln\\gamma$ and re-enter from the initial density $p_0$.
This module implements the per-state quantities and the three surrogate losses of the authors'
reference training step (github.com/enuzhin/ur, `train.py`, which cites the paper's Eqs. 11
and 16):

* the advantage, Eq. (11), the residual of the entropy-regularised Hamilton-Jacobi-Bellman
  equation for the action taken,
  $$A(s, a) = r(s, a) + v(s, a) \\cdot \\nabla_s V(s) + \\ln\\gamma \\, V(s)
  + \\alpha \\big(-\\ln p(s) - \\ln \\pi(a|s)\\big);$$
* the growth rate of the ensemble density, Eq. (16), from its continuity equation,
  $$g(s) = \\ln\\gamma \\, \\big(p(s) - p_0(s)\\big) - \\nabla_s \\cdot \\big(p \\, \\bar v\\big),$$
  whose flux divergence is estimated from the sampled action ($a \\sim \\pi$, unbiased because
  $\\nabla \\cdot (p \\pi v) = p \\pi [(\\nabla \\ln p + \\nabla \\ln \\pi) \\cdot v + \\nabla \\cdot v]$):
  $$\\nabla_s \\cdot (p \\, \\bar v) \\approx p \\big[(\\nabla_s \\ln p + \\nabla_s \\ln \\pi(a|s)) \\cdot v
  + \\nabla_s \\cdot v\\big];$$
* the losses, with $A$ and $g$ held constant, $\\mathcal{L} = \\mathcal{L}_V + \\mathcal{L}_\\pi +
  \\mathcal{L}_p$: $\\mathcal{L}_V = -\\overline{V A}$ (value moves along the HJB residual),
  $\\mathcal{L}_\\pi = -\\overline{\\ln\\pi \\, A}$ (the policy gradient),
  $\\mathcal{L}_p = -\\overline{\\ln p \\, g}$ (the density moves towards the stationary ensemble).

With $\\alpha = 0$, $\\mathcal{L}_\\pi$ is the plain REINFORCE-style policy-gradient loss with the
HJB advantage. The environment's dynamics and the spatial gradients (taken with autograd in the
reference code) are inputs, so the loss works with any model; the density network's output is
an unnormalised log-density.

Shapes: `value, log_density, log_policy, reward, velocity_divergence, initial_density: [N]`;
`value_grad, log_density_grad, log_policy_grad, velocity: [N, D]` (N sampled states, state
dimension D; any leading batch shape works) -> `{"loss", "value_loss", "policy_loss",
"density_loss": [], "advantage", "growth_rate": [N]}`.

Hyperparameters: `gamma` is the discount $\\gamma$ per unit time, `entropy_coef` is the entropy
weight $\\alpha$.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class UmbrellaLoss(nn.Module):
    """The value, policy and ensemble-density losses of one Umbrella RL update on sampled states."""

    def __init__(self, gamma: float = 0.95, entropy_coef: float = 0.01):
        super().__init__()
        self.gamma = gamma
        self.entropy_coef = entropy_coef

    def forward(
        self,
        value: torch.Tensor,
        value_grad: torch.Tensor,
        log_density: torch.Tensor,
        log_density_grad: torch.Tensor,
        log_policy: torch.Tensor,
        log_policy_grad: torch.Tensor,
        reward: torch.Tensor,
        velocity: torch.Tensor,
        velocity_divergence: torch.Tensor,
        initial_density: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """Per-state scalars `[N]`, spatial gradients and velocity `[N, D]` -> losses `[]`, A and g `[N]`."""
        log_gamma = math.log(self.gamma)
        with torch.no_grad():
            # A = r + v . grad V + ln(gamma) V + alpha (-ln p - ln pi)            (Eq. 11)
            entropy_bonus = -(log_density + log_policy)
            advantage = (
                reward
                + (velocity * value_grad).sum(-1)
                + log_gamma * value
                + self.entropy_coef * entropy_bonus
            )
            density = log_density.exp()
            # div(p v) ~ p [(grad ln p + grad ln pi) . v + div v], for a ~ pi
            flux_divergence = density * (
                ((log_density_grad + log_policy_grad) * velocity).sum(-1) + velocity_divergence
            )
            # g = ln(gamma) (p - p0) - div(p v)                                    (Eq. 16)
            growth_rate = log_gamma * (density - initial_density) - flux_divergence
        value_loss = -(value * advantage).mean()
        policy_loss = -(log_policy * advantage).mean()
        density_loss = -(log_density * growth_rate).mean()
        return {
            "loss": value_loss + policy_loss + density_loss,
            "value_loss": value_loss,
            "policy_loss": policy_loss,
            "density_loss": density_loss,
            "advantage": advantage,
            "growth_rate": growth_rate,
        }
