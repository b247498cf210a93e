"""Double Q-learning: two action-value tables, one choosing the greedy action and the other evaluating it.

Paper: Double Q-learning (van Hasselt, 2010) - https://papers.nips.cc/paper/2010/hash/091d584fced301b442654dd8c23b3fc9-Abstract.html

Q-learning's target $\\max_a Q(s', a)$ overestimates when $Q$ is noisy (the max of noisy
estimates is biased upward). Double Q-learning keeps $Q^A$ and $Q^B$ and, at random on each
step, updates one of them with the other's evaluation of its own greedy action:
$$a^* = \\arg\\max_a Q^A(s', a), \\qquad Q^A(s, a) \\leftarrow Q^A(s, a) + \\alpha\\,[r + \\gamma Q^B(s', a^*) - Q^A(s, a)],$$
and symmetrically for $Q^B$. The demo is the paper's roulette-like example in miniature: from
state A, "right" ends the episode with reward 0, "left" leads to state B whose `num_arms`
actions all end it with reward $\\mathcal{N}(-0.1, 1)$. Q-learning learns to go left far too
often; Double Q-learning does not. Both run here on the same draws (seeded with `seed`) so the
share of "left" choices can be compared.

Shapes: `arm_means: [num_arms]` (mean reward of each action in B) -> `double_q: [2]`
(($Q^A + Q^B$)/2 at A), `single_q: [2]` (Q-learning at A), `left_share_double: [episodes]`,
`left_share_single: [episodes]` (running share of episodes that went left).
"""

from __future__ import annotations

import torch
from torch import nn


class DoubleQLearning(nn.Module):
    """Double and plain Q-learning side by side on the maximization-bias example."""

    def __init__(
        self, episodes: int = 300, alpha: float = 0.1, gamma: float = 1.0, epsilon: float = 0.1, seed: int = 0
    ):
        super().__init__()
        self.episodes, self.alpha, self.gamma, self.epsilon, self.seed = episodes, alpha, gamma, epsilon, seed

    def run(self, arm_means: list[float], double: bool) -> tuple[list[float], list[float]]:
        g = torch.Generator().manual_seed(self.seed)
        n = len(arm_means)
        qa = {"A": [0.0, 0.0], "B": [0.0] * n}
        qb = {"A": [0.0, 0.0], "B": [0.0] * n}
        lefts, shares = 0, []
        for episode in range(1, self.episodes + 1):
            state = "A"
            while state is not None:
                values = [a + b for a, b in zip(qa[state], qb[state], strict=True)] if double else qa[state]
                if float(torch.rand((), generator=g)) < self.epsilon:
                    action = int(torch.randint(len(values), (), generator=g))
                else:
                    action = max(range(len(values)), key=lambda i: values[i])
                if state == "A":
                    lefts += action == 0
                    reward, nxt = 0.0, ("B" if action == 0 else None)
                else:
                    reward, nxt = arm_means[action] + float(torch.randn((), generator=g)), None
                first = not double or float(torch.rand((), generator=g)) < 0.5
                update, other = (qa, qb) if first else (qb, qa)
                if nxt is None:
                    target = reward
                elif double:
                    # a* = argmax_a Q^A(s', a), evaluated by Q^B
                    best = max(range(len(update[nxt])), key=lambda i: update[nxt][i])
                    target = reward + self.gamma * other[nxt][best]
                else:
                    target = reward + self.gamma * max(update[nxt])
                update[state][action] += self.alpha * (target - update[state][action])
                state = nxt
            shares.append(lefts / episode)
        average = [(a + b) / 2 for a, b in zip(qa["A"], qb["A"], strict=True)] if double else qa["A"]
        return average, shares

    def forward(self, arm_means: torch.Tensor) -> dict[str, torch.Tensor]:
        """arm_means: [num_arms] -> double_q [2], single_q [2], left_share_double, left_share_single."""
        means = arm_means.tolist()
        double_q, double_share = self.run(means, double=True)
        single_q, single_share = self.run(means, double=False)

        def tensor(values: list[float]) -> torch.Tensor:
            return torch.tensor(values, dtype=arm_means.dtype, device=arm_means.device)

        return {
            "double_q": tensor(double_q),
            "single_q": tensor(single_q),
            "left_share_double": tensor(double_share),
            "left_share_single": tensor(single_share),
        }
