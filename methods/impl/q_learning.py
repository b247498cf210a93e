"""Q-Learning: off-policy temporal-difference control with a table of action values.

Paper: Q-learning (Watkins & Dayan, 1992) - https://doi.org/10.1007/BF00992698

After each transition $(s, a, r, s')$ the action value moves toward the greedy one-step target:
$$Q(s, a) \\leftarrow Q(s, a) + \\alpha\\,[r + \\gamma \\max_{a'} Q(s', a') - Q(s, a)],$$
with $\\max_{a'} Q(s', a') = 0$ at a terminal $s'$. Actions are chosen $\\epsilon$-greedily, yet the
target is greedy, so $Q$ converges to $Q^*$ whatever the behaviour policy, given every pair is
visited infinitely often and $\\alpha$ decays (the paper's theorem).

The demo environment is a deterministic chain of `num_states` states: the agent starts in state
0, action 0 moves left (staying at the wall), action 1 moves right, and entering state $j$ pays
`rewards[j]`; the last state is terminal. Episodes stop there or after `4 * num_states` steps.
Exploration draws from a generator seeded with `seed`.

Shapes: `rewards: [S]` -> `q_values: [S, 2]`, `policy: [S]` (greedy action),
`returns: [episodes]` (undiscounted return of each training episode).
"""

from __future__ import annotations

import torch
from torch import nn


def chain_step(state: int, action: int, num_states: int) -> tuple[int, bool]:
    """The next state of the chain (left wall at 0) and whether it is the terminal last state."""
    nxt = max(0, state - 1) if action == 0 else state + 1
    return nxt, nxt == num_states - 1


class TabularQLearning(nn.Module):
    """Learns Q on the chain MDP whose entry rewards are `rewards`, over `episodes` episodes."""

    def __init__(
        self, episodes: int = 200, alpha: float = 0.5, gamma: float = 0.9, epsilon: float = 0.2, seed: int = 0
    ):
        super().__init__()
        self.episodes, self.alpha, self.gamma, self.epsilon, self.seed = episodes, alpha, gamma, epsilon, seed

    def forward(self, rewards: torch.Tensor) -> dict[str, torch.Tensor]:
        """rewards: [S] -> q_values [S, 2], policy [S], returns [episodes]."""
        num_states = rewards.shape[0]
        r = rewards.tolist()
        q = [[0.0, 0.0] for _ in range(num_states)]
        generator = torch.Generator().manual_seed(self.seed)
        returns = []
        for _ in range(self.episodes):
            state, total = 0, 0.0
            for _ in range(4 * num_states):
                explore = float(torch.rand((), generator=generator)) < self.epsilon
                if explore or q[state][0] == q[state][1]:
                    action = int(torch.randint(2, (), generator=generator))
                else:
                    action = int(q[state][1] > q[state][0])
                nxt, done = chain_step(state, action, num_states)
                total += r[nxt]
                # Q(s,a) += α [r + γ max_a' Q(s',a') − Q(s,a)]
                target = r[nxt] + (0.0 if done else self.gamma * max(q[nxt]))
                q[state][action] += self.alpha * (target - q[state][action])
                state = nxt
                if done:
                    break
            returns.append(total)
        q_values = torch.tensor(q, dtype=rewards.dtype, device=rewards.device)
        return {
            "q_values": q_values,
            "policy": q_values.argmax(dim=1),
            "returns": torch.tensor(returns, dtype=rewards.dtype, device=rewards.device),
        }
