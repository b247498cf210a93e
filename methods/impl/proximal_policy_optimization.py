"""PPO: Proximal Policy Optimization's clipped surrogate objective.

Paper: Proximal Policy Optimization Algorithms (Schulman et al., 2017) - https://arxiv.org/abs/1707.06347

With the probability ratio $r_t(\\theta) = \\pi_\\theta(a_t \\mid s_t) / \\pi_{\\theta_\\text{old}}(a_t \\mid s_t)$
and advantage estimates $\\hat A_t$, PPO maximizes
$$L^{CLIP}(\\theta) = \\hat{\\mathbb{E}}_t\\left[\\min\\left(r_t \\hat A_t,\\ \\text{clip}(r_t, 1 - \\epsilon, 1 + \\epsilon)\\,\\hat A_t\\right)\\right],$$
a pessimistic bound that removes the incentive to move $r_t$ outside $[1 - \\epsilon, 1 + \\epsilon]$.
The full objective adds a value loss and an entropy bonus,
$L = -L^{CLIP} + c_1 (V_\\theta(s_t) - V_t^\\text{targ})^2 - c_2 S[\\pi_\\theta](s_t)$ (Eq. 9), returned here
as the loss to minimize. OpenAI Baselines' `ppo2` is the reference implementation it follows.

Shapes: `log_probs: [B]` ($\\log\\pi_\\theta$, requires grad), `old_log_probs: [B]`, `advantages: [B]`,
`values: [B]`, `returns: [B]`, `entropy: [B]` -> `loss: []`, `policy_loss: []`, `ratio: [B]`,
`clip_fraction: []` (share of samples whose ratio was clipped).
"""

from __future__ import annotations

import torch
from torch import nn


class PPOClipLoss(nn.Module):
    """The clipped surrogate, value and entropy terms of PPO, as one loss."""

    def __init__(self, clip_epsilon: float = 0.2, value_coef: float = 0.5, entropy_coef: float = 0.01):
        super().__init__()
        self.clip_epsilon, self.value_coef, self.entropy_coef = clip_epsilon, value_coef, entropy_coef

    def forward(
        self,
        log_probs: torch.Tensor,
        old_log_probs: torch.Tensor,
        advantages: torch.Tensor,
        values: torch.Tensor,
        returns: torch.Tensor,
        entropy: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """Per-sample log-probabilities, advantages, values, returns, entropies [B] -> the losses."""
        # r_t = exp(log π_θ − log π_old)
        ratio = torch.exp(log_probs - old_log_probs)
        clipped = ratio.clamp(1 - self.clip_epsilon, 1 + self.clip_epsilon)
        # L^CLIP = E[min(r_t Â_t, clip(r_t, 1 − ε, 1 + ε) Â_t)]
        policy_loss = -torch.min(ratio * advantages, clipped * advantages).mean()
        value_loss = (values - returns).square().mean()
        loss = policy_loss + self.value_coef * value_loss - self.entropy_coef * entropy.mean()
        clip_fraction = ((ratio - 1).abs() > self.clip_epsilon).to(ratio.dtype).mean()
        return {"loss": loss, "policy_loss": policy_loss, "ratio": ratio, "clip_fraction": clip_fraction}
