"""Experience Replay: a fixed-size memory of past transitions sampled uniformly for training.

Paper: Self-Improving Reactive Agents Based on Reinforcement Learning, Planning and Teaching
(Lin, 1992) - https://doi.org/10.1007/BF00992699

The agent stores each transition $e_t = (s_t, a_t, r_t, s_{t+1})$ in a replay memory
$\\mathcal{D}$ of capacity $N$, overwriting the oldest when full (a ring buffer), and learns
from minibatches drawn uniformly at random, $(s, a, r, s') \\sim U(\\mathcal{D})$. Reusing each
experience many times improves data efficiency, and random sampling breaks the correlation of
consecutive samples (the reason DQN uses it). Transitions are rows of a tensor here (state,
action, reward, next state concatenated), written in order, then one minibatch is drawn from a
generator seeded with `seed`, as in the replay buffers of Stable-Baselines3.

Shapes: `transitions: [T, F]` (added in order) -> `memory: [capacity, F]` (zeros where empty),
`batch: [batch_size, F]`, `indices: [batch_size]` (slots sampled), `size: []` (stored count).
"""

from __future__ import annotations

import torch
from torch import nn


class ReplayMemory(nn.Module):
    """A ring buffer of `capacity` transitions and uniform minibatch sampling."""

    def __init__(self, capacity: int = 32, batch_size: int = 8, seed: int = 0):
        super().__init__()
        self.capacity, self.batch_size, self.seed = capacity, batch_size, seed
        self.position = 0
        self.size = 0

    def add(self, memory: torch.Tensor, transition: torch.Tensor) -> None:
        """Write at the ring position, overwriting the oldest transition when full."""
        memory[self.position] = transition
        self.position = (self.position + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def forward(self, transitions: torch.Tensor) -> dict[str, torch.Tensor]:
        """transitions: [T, F] -> memory [capacity, F], batch [batch_size, F], indices, size."""
        self.position, self.size = 0, 0
        memory = transitions.new_zeros(self.capacity, transitions.shape[1])
        for transition in transitions:
            self.add(memory, transition)
        generator = torch.Generator().manual_seed(self.seed)
        # (s, a, r, s') ~ U(D)
        indices = torch.randint(self.size, (self.batch_size,), generator=generator).to(transitions.device)
        return {
            "memory": memory,
            "batch": memory[indices],
            "indices": indices,
            "size": torch.tensor(self.size),
        }
