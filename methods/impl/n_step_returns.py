"""N-step returns: truncated discounted returns bootstrapped from a value estimate.

Paper: Reinforcement Learning: An Introduction, 2nd ed., ch. 7 "n-step Bootstrapping"
(Sutton & Barto, 2018) - https://incompleteideas.net/book/the-book-2nd.html

The n-step return sums the next $n$ rewards and bootstraps the rest of the return from the
value of the state reached after $n$ steps,

$$G_t^{(n)} = r_{t+1} + \\gamma r_{t+2} + \\dots + \\gamma^{n-1} r_{t+n} + \\gamma^n V(s_{t+n}).$$

$n = 1$ is the one-step TD target; $n \\to \\infty$ the Monte-Carlo return. Intermediate $n$
trade the bias of bootstrapping against the variance of sampled rewards and often learn faster.
When the episode ends within the window, the sum stops at the terminal reward and nothing is
bootstrapped; when the sequence ends first ($t + n > T$), the return bootstraps from the value
of the last state, $V(s_T)$ (`bootstrap_value`). Related: V-trace and Retrace (off-policy
corrections of the same targets).

Time-major layout: `rewards[t]` is $r_{t+1}$, the reward after acting in $s_t$; `dones[t]` is
true when $s_{t+1}$ is terminal; `values[t]` is $V(s_t)$.

Shapes: `rewards, values: [T, B]`, `dones: [T, B]` (bool), `bootstrap_value: [B]` -> `[T, B]`.

Hyperparameters: `n` is $n$, `gamma` is the discount $\\gamma$.
"""

from __future__ import annotations

import torch
from torch import nn


class NStepReturns(nn.Module):
    """$G_t^{(n)}$ for every step of a batch of trajectories, cut at episode ends."""

    def __init__(self, n: int = 3, gamma: float = 0.99):
        super().__init__()
        self.n = n
        self.gamma = gamma

    @torch.no_grad()
    def forward(
        self,
        rewards: torch.Tensor,
        values: torch.Tensor,
        dones: torch.Tensor,
        bootstrap_value: torch.Tensor,
    ) -> torch.Tensor:
        """Rewards, values, dones `[T, B]` and $V(s_T)$ `[B]` -> n-step returns `[T, B]`."""
        steps = rewards.shape[0]
        # V(s_0), ..., V(s_T)
        all_values = torch.cat([values, bootstrap_value.unsqueeze(0)], dim=0)
        # pad past the sequence end: no reward, no termination (those steps are never inside a window)
        pad = rewards.new_zeros((self.n, *rewards.shape[1:]))
        padded_rewards = torch.cat([rewards, pad], dim=0)
        padded_continues = torch.cat([(~dones.bool()).to(rewards.dtype), pad + 1.0], dim=0)
        returns = torch.zeros_like(rewards)
        # product over the window so far of (1 - done): 1 while the episode has not ended
        alive = torch.ones_like(rewards)
        for k in range(self.n):
            # + gamma^k r_{t+k+1}, for steps still inside the episode
            returns = returns + self.gamma**k * alive * padded_rewards[k : k + steps]
            alive = alive * padded_continues[k : k + steps]
        # the window holds m = min(n, T - t) steps; + gamma^m V(s_{t+m}) unless it ended in between
        start = torch.arange(steps, device=rewards.device)
        window = (steps - start).clamp(max=self.n)
        shape = (steps, *([1] * (rewards.dim() - 1)))
        discount = (self.gamma ** window.to(rewards.dtype)).reshape(shape)
        bootstrap = all_values[start + window]
        return returns + discount * alive * bootstrap
