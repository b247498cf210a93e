"""GPS: Greedy Policy Search, a test-time augmentation policy built one sub-policy at a time.

Paper: Greedy Policy Search: A Simple Baseline for Learnable Test-Time Augmentation (Lyzhov,
Molchanova, Ashukha, Molchanov & Vetrov, 2020) - https://arxiv.org/abs/2002.09103

Test-time augmentation averages a model's predictions over augmented copies of the input. GPS
learns which augmentations: starting from an empty policy it adds, `policy_size` times, the
candidate sub-policy whose inclusion gives the best calibrated log-likelihood of the ensemble on
a validation set,
$$a^* = \\arg\\max_a \\sum_i \\log \\frac{1}{|P| + 1}\\Big(\\sum_{p \\in P} \\pi_p(y_i \\mid x_i) + \\pi_a(y_i \\mid x_i)\\Big),$$
with repetition allowed (a sub-policy added twice weighs twice). Each candidate's predictions
are first calibrated by temperature scaling, the temperature that maximizes its validation
log-likelihood chosen on a grid (the paper optimizes it).

Shapes: `logits: [A, N, C]` (the model's logits on the validation set under each of the A
candidate augmentations), `labels: [N]` -> `policy: [K]` (candidate indices, in the order
added), `log_likelihood: [K]` (mean validation log-likelihood after each addition),
`temperatures: [A]`.
"""

from __future__ import annotations

import torch
from torch import nn

TEMPERATURES = torch.logspace(-1, 1, 41)


class GreedyPolicySearch(nn.Module):
    """Greedily grows a TTA policy by the calibrated ensemble log-likelihood."""

    def __init__(self, policy_size: int = 4):
        super().__init__()
        self.policy_size = policy_size

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """logits: [A, N, C], labels: [N] -> policy [K], log_likelihood [K], temperatures [A]."""
        rows = torch.arange(labels.shape[0], device=labels.device)
        grid = TEMPERATURES.to(logits)
        # temperature scaling per candidate: argmax_T Σ_i log softmax(z / T)_{y_i}
        scaled = (logits[:, None] / grid[None, :, None, None]).log_softmax(dim=-1)
        fits = scaled[..., rows, labels].mean(dim=-1)
        temperatures = grid[fits.argmax(dim=1)]
        probs = (logits / temperatures[:, None, None]).softmax(dim=-1)[:, rows, labels]  # [A, N]
        total = torch.zeros_like(probs[0])
        policy, history = [], []
        for k in range(1, self.policy_size + 1):
            # the ensemble with each candidate added: mean of the k probabilities
            scores = torch.log((total + probs) / k).mean(dim=1)
            best = int(scores.argmax())
            policy.append(best)
            history.append(scores[best])
            total = total + probs[best]
        return {
            "policy": torch.tensor(policy, device=logits.device),
            "log_likelihood": torch.stack(history),
            "temperatures": temperatures,
        }
