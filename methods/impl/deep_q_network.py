"""DQN: a Q-network trained toward a frozen target network's one-step TD target.

Paper: Human-level control through deep reinforcement learning (Mnih et al., 2015)
- https://doi.org/10.1038/nature14236

DQN approximates $Q(s, a; \\theta)$ with a network and regresses it on transitions sampled from an
experience replay memory toward the target
$$y = r + \\gamma (1 - d) \\max_{a'} Q(s', a'; \\theta^-),$$
where $\\theta^-$ are the parameters of a target network copied from $\\theta$ every $C$ steps and
held fixed in between; the loss is the Huber loss of $y - Q(s, a; \\theta)$ (the paper's error
clipping). The demo network is an MLP on a state vector (the paper's is a CNN on 84x84x4
frames); the target copy is made when the module is built.

Shapes: `states: [B, D]`, `actions: [B]`, `rewards: [B]`, `next_states: [B, D]`, `dones: [B]`
-> `q_values: [B, A]`, `targets: [B]`, `loss: []`.
"""

from __future__ import annotations

import copy

import torch
from torch import nn


class DQN(nn.Module):
    """Q-network, frozen target network and the TD loss on a batch of transitions."""

    def __init__(self, state_dim: int = 8, num_actions: int = 4, hidden: int = 64, gamma: float = 0.99):
        super().__init__()
        self.q_network = nn.Sequential(
            nn.Linear(state_dim, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, num_actions),
        )
        self.target_network = copy.deepcopy(self.q_network).requires_grad_(False)
        self.gamma = gamma

    def update_target(self) -> None:
        """θ⁻ ← θ, every C steps of training."""
        self.target_network.load_state_dict(self.q_network.state_dict())

    def forward(
        self,
        states: torch.Tensor,
        actions: torch.Tensor,
        rewards: torch.Tensor,
        next_states: torch.Tensor,
        dones: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """A batch of transitions -> q_values [B, A], targets [B], loss []."""
        q_values = self.q_network(states)
        with torch.no_grad():
            # y = r + γ (1 − d) max_a' Q(s', a'; θ⁻)
            targets = (
                rewards
                + self.gamma
                * (1 - dones.to(rewards.dtype))
                * self.target_network(next_states).max(dim=1).values
            )
        chosen = q_values.gather(1, actions.unsqueeze(1)).squeeze(1)
        return {
            "q_values": q_values,
            "targets": targets,
            "loss": nn.functional.smooth_l1_loss(chosen, targets),
        }
