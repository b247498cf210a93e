"""Target Policy Smoothing: clipped Gaussian noise on the target action, so the value target averages nearby actions.

Paper: Addressing Function Approximation Error in Actor-Critic Methods (Fujimoto, van Hoof & Meger,
2018) - https://arxiv.org/abs/1802.09477

A deterministic policy's value target can exploit narrow peaks of the critic. TD3 regularizes
it by fitting the value of a small neighbourhood of the target action:
$$\\tilde a = \\text{clip}\\big(\\mu_{\\phi'}(s') + \\text{clip}(\\epsilon, -c, c),\\ a_\\text{low},\\ a_\\text{high}\\big), \\qquad \\epsilon \\sim \\mathcal{N}(0, \\sigma^2),$$
with $\\sigma = 0.2$ and $c = 0.5$ in the paper. This is the smoothing alone, on given target
actions (the full agent is the TD3 entry); the noise comes from a generator seeded with `seed`.

Shapes: `target_actions: [B, A]` ($\\mu_{\\phi'}(s')$) -> `smoothed: [B, A]` ($\\tilde a$), `noise: [B, A]`
(the clipped $\\epsilon$).
"""

from __future__ import annotations

import torch
from torch import nn


class TargetPolicySmoothing(nn.Module):
    """ã = clip(μ'(s') + clip(ε, −c, c), −a_max, a_max)."""

    def __init__(self, sigma: float = 0.2, noise_clip: float = 0.5, max_action: float = 1.0, seed: int = 0):
        super().__init__()
        self.sigma, self.noise_clip, self.max_action, self.seed = sigma, noise_clip, max_action, seed

    def forward(self, target_actions: torch.Tensor) -> dict[str, torch.Tensor]:
        """target_actions: [B, A] -> smoothed [B, A], noise [B, A]."""
        generator = torch.Generator().manual_seed(self.seed)
        noise = torch.randn(target_actions.shape, generator=generator).to(target_actions) * self.sigma
        noise = noise.clamp(-self.noise_clip, self.noise_clip)
        return {"smoothed": (target_actions + noise).clamp(-self.max_action, self.max_action), "noise": noise}
