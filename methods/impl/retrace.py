"""Retrace(λ): safe and efficient off-policy Q-value targets with truncated traces.

Paper: Safe and Efficient Off-Policy Reinforcement Learning (Munos, Stepleton, Harutyunyan,
Bellemare, 2016) - https://arxiv.org/abs/1606.02647

Retrace evaluates a target policy $\\pi$ from trajectories of a behaviour policy $\\mu$. Plain
importance sampling multiplies the ratios $\\pi/\\mu$ along the trajectory and explodes in
variance; Retrace truncates each ratio at 1, $c_s = \\lambda \\min(1, \\pi(a_s|x_s)/\\mu(a_s|x_s))$,
which keeps the operator a contraction for any $\\mu$ (safe) while not cutting traces when
$\\pi \\approx \\mu$ (efficient). The Retrace operator is

$$\\mathcal{R}Q(x, a) = Q(x, a) + \\mathbb{E}_\\mu\\Big[\\sum_{t \\ge 0} \\gamma^t \\Big(\\prod_{s=1}^{t} c_s\\Big)
\\big(r_t + \\gamma \\mathbb{E}_\\pi Q(x_{t+1}, \\cdot) - Q(x_t, a_t)\\big)\\Big],$$

evaluated on a sampled sequence with the backward recursion (the $Q^{ret}$ of ACER)

$$Q^{ret}_t = r_t + \\gamma_t \\big[\\mathbb{E}_\\pi Q(x_{t+1}, \\cdot)
+ c_{t+1} \\big(Q^{ret}_{t+1} - Q(x_{t+1}, a_{t+1})\\big)\\big].$$

The last step bootstraps with `bootstrap_value` $= \\mathbb{E}_\\pi Q(x_T, \\cdot)$ and no trace.
The discount is a per-step tensor ($\\gamma_t = 0$ at an episode end), so $\\gamma^t$ reads
$\\prod \\gamma_i$. The target policy enters as logits ($\\pi$ = softmax), the behaviour policy as
the probabilities $\\mu(a_t|x_t) \\in (0, 1]$ of the actions taken. $\\lambda = 0$ gives the one-step
expected-SARSA target. The targets carry no gradient. Related: V-trace (the state-value analogue).

Shapes (time-major): `q_values, target_logits: [T, B, A]`, `actions: [T, B]` (int),
`behaviour_probs, rewards, discounts: [T, B]`, `bootstrap_value: [B]` -> `[T, B]` targets for
$Q(x_t, a_t)$.

Hyperparameters: `trace_lambda` is $\\lambda$, `num_actions` is the size $A$ of the action set.
"""

from __future__ import annotations

import torch
from torch import nn


class Retrace(nn.Module):
    """Retrace targets $Q^{ret}_t$ for the taken actions of a batch of trajectories."""

    def __init__(self, trace_lambda: float = 1.0, num_actions: int = 4):
        super().__init__()
        self.trace_lambda = trace_lambda
        self.num_actions = num_actions

    @torch.no_grad()
    def forward(
        self,
        q_values: torch.Tensor,
        target_logits: torch.Tensor,
        actions: torch.Tensor,
        behaviour_probs: torch.Tensor,
        rewards: torch.Tensor,
        discounts: torch.Tensor,
        bootstrap_value: torch.Tensor,
    ) -> torch.Tensor:
        """Q-values and logits `[T, B, A]`, the rest `[T, B]`, bootstrap `[B]` -> targets `[T, B]`."""
        if q_values.shape[-1] != self.num_actions:
            raise ValueError(f"expected {self.num_actions} action values, got {q_values.shape[-1]}")
        target_probs = torch.softmax(target_logits, dim=-1)
        index = actions.unsqueeze(-1)
        taken_q = q_values.gather(-1, index).squeeze(-1)
        ratios = target_probs.gather(-1, index).squeeze(-1) / behaviour_probs
        # c_s = lambda * min(1, pi(a_s|x_s) / mu(a_s|x_s))
        traces = self.trace_lambda * ratios.clamp(max=1.0)
        # E_pi Q(x_t, .)
        expected_q = (target_probs * q_values).sum(-1)
        targets = torch.empty_like(rewards)
        # the trace term c_{t+1} (Q^ret_{t+1} - Q(x_{t+1}, a_{t+1})), absent past the sequence end
        carry = torch.zeros_like(bootstrap_value)
        next_expected_q = bootstrap_value
        for t in range(rewards.shape[0] - 1, -1, -1):
            # Q^ret_t = r_t + gamma_t [E_pi Q(x_{t+1}, .) + c_{t+1} (Q^ret_{t+1} - Q(x_{t+1}, a_{t+1}))]
            targets[t] = rewards[t] + discounts[t] * (next_expected_q + carry)
            carry = traces[t] * (targets[t] - taken_q[t])
            next_expected_q = expected_q[t]
        return targets
