"""V-trace: off-policy n-step value targets with truncated importance weights (IMPALA).

Paper: IMPALA: Scalable Distributed Deep-RL with Importance Weighted Actor-Learner
Architectures (Espeholt et al., 2018) - https://arxiv.org/abs/1802.01561

Actors follow a behaviour policy $\\mu$ that lags behind the learner's target policy $\\pi$.
V-trace corrects the lag with truncated importance weights
$\\rho_t = \\min(\\bar\\rho, \\pi(a_t|x_t)/\\mu(a_t|x_t))$ and $c_i = \\min(\\bar c, \\pi(a_i|x_i)/\\mu(a_i|x_i))$.
The n-step target for $V(x_s)$ is

$$v_s = V(x_s) + \\sum_{t=s}^{s+n-1} \\gamma^{t-s} \\Big(\\prod_{i=s}^{t-1} c_i\\Big) \\delta_t V,
\\qquad \\delta_t V = \\rho_t \\big(r_t + \\gamma V(x_{t+1}) - V(x_t)\\big),$$

computed here over the whole sequence with the backward recursion
$v_s - V(x_s) = \\delta_s V + \\gamma_s c_s (v_{s+1} - V(x_{s+1}))$. The actor-critic policy
gradient uses the advantage $\\rho_s (r_s + \\gamma v_{s+1} - V(x_s))$. $\\bar\\rho$ sets the
fixed point (the value of a policy between $\\mu$ and $\\pi$); $\\bar c$ only the contraction speed.
The paper assumes $\\bar\\rho \\ge \\bar c$. On-policy ($\\pi = \\mu$, $\\bar c \\ge 1$, $\\bar\\rho \\ge 1$)
$v_s$ is the n-step Bellman target. Related: Retrace (the Q-value analogue).

The discount $\\gamma$ is a per-step tensor (`discounts`, $\\gamma_t = 0$ at an episode end), so
$\\gamma^{t-s}$ reads $\\prod_{i=s}^{t-1} \\gamma_i$. Policies enter as unnormalised logits and are
normalised with a log-softmax inside. Both outputs are learning targets and carry no gradient,
as in the paper.

Shapes (time-major): `target_logits, behaviour_logits: [T, B, A]`, `actions: [T, B]` (int),
`rewards, discounts, values: [T, B]`, `bootstrap_value: [B]` ($V(x_T)$)
-> `{"vs": [T, B], "pg_advantages": [T, B]}`.

Hyperparameters: `clip_rho_threshold` is $\\bar\\rho$, `clip_c_threshold` is $\\bar c$,
`num_actions` is the size $A$ of the discrete action set.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class VTrace(nn.Module):
    """V-trace targets $v_s$ and policy-gradient advantages for a batch of trajectories."""

    def __init__(self, clip_rho_threshold: float = 1.0, clip_c_threshold: float = 1.0, num_actions: int = 4):
        super().__init__()
        self.clip_rho_threshold = clip_rho_threshold
        self.clip_c_threshold = clip_c_threshold
        self.num_actions = num_actions

    @torch.no_grad()
    def forward(
        self,
        target_logits: torch.Tensor,
        behaviour_logits: torch.Tensor,
        actions: torch.Tensor,
        rewards: torch.Tensor,
        discounts: torch.Tensor,
        values: torch.Tensor,
        bootstrap_value: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """Logits `[T, B, A]`, actions/rewards/discounts/values `[T, B]`, bootstrap `[B]` -> `[T, B]` each."""
        if target_logits.shape[-1] != self.num_actions:
            raise ValueError(f"expected {self.num_actions} action logits, got {target_logits.shape[-1]}")
        index = actions.unsqueeze(-1)
        target_log_probs = F.log_softmax(target_logits, dim=-1).gather(-1, index).squeeze(-1)
        behaviour_log_probs = F.log_softmax(behaviour_logits, dim=-1).gather(-1, index).squeeze(-1)
        # pi(a_t|x_t) / mu(a_t|x_t)
        ratios = torch.exp(target_log_probs - behaviour_log_probs)
        # rho_t = min(rho_bar, pi/mu),  c_i = min(c_bar, pi/mu)
        rhos = ratios.clamp(max=self.clip_rho_threshold)
        cs = ratios.clamp(max=self.clip_c_threshold)
        # V(x_{t+1}), with V(x_T) the bootstrap value
        next_values = torch.cat([values[1:], bootstrap_value.unsqueeze(0)], dim=0)
        # delta_t V = rho_t (r_t + gamma_t V(x_{t+1}) - V(x_t))
        deltas = rhos * (rewards + discounts * next_values - values)
        # v_s - V(x_s) = delta_s V + gamma_s c_s (v_{s+1} - V(x_{s+1})), zero past the sequence end
        corrections = torch.empty_like(values)
        carry = torch.zeros_like(bootstrap_value)
        for t in range(values.shape[0] - 1, -1, -1):
            carry = deltas[t] + discounts[t] * cs[t] * carry
            corrections[t] = carry
        vs = values + corrections
        next_vs = torch.cat([vs[1:], bootstrap_value.unsqueeze(0)], dim=0)
        # A_s = rho_s (r_s + gamma_s v_{s+1} - V(x_s))
        pg_advantages = rhos * (rewards + discounts * next_vs - values)
        return {"vs": vs, "pg_advantages": pg_advantages}
