"""RotatE: knowledge graph embedding by relational rotation in complex space.

Paper: RotatE: Knowledge Graph Embedding by Relational Rotation in Complex Space (Sun, Deng,
Nie, Tang, 2019) - https://arxiv.org/abs/1902.10197

Entities are vectors $h, t \\in \\mathbb{C}^k$ and each relation is an elementwise rotation
$r = e^{i\\theta_r}$ with $|r_j| = 1$, so a true triple satisfies $t \\approx h \\circ r$. This
models symmetry ($\\theta_r \\in \\{0, \\pi\\}$), inversion ($\\theta_{r_2} = -\\theta_{r_1}$)
and composition ($\\theta_{r_3} = \\theta_{r_1} + \\theta_{r_2}$). The distance is the L1 norm
over the complex moduli and the score is the margin minus it:

$$d_r(h, t) = \\lVert h \\circ r - t \\rVert_1 = \\sum_{j=1}^k |h_j r_j - t_j|, \\qquad
f_r(h, t) = \\gamma - d_r(h, t).$$

Training uses self-adversarial negative sampling: the negatives $(h, r, t'_i)$ are weighted
by a softmax of their own scores at temperature $\\alpha$, the weights treated as constants,

$$p(h, r, t'_i) = \\frac{\\exp(\\alpha f_r(h, t'_i))}{\\sum_j \\exp(\\alpha f_r(h, t'_j))},$$
$$L = -\\log \\sigma(\\gamma - d_r(h, t)) - \\sum_i p(h, r, t'_i) \\log \\sigma(d_r(h, t'_i) - \\gamma).$$

Here the negatives corrupt the tail; the paper corrupts heads and tails alike. The loss is
averaged over the batch.

Shapes: `forward(head: [B], relation: [B], tail: [B], negative_tail: [B, N])`
`-> {"score": [B], "negative_score": [B, N], "loss": []}`, indices as int64.
Hyperparameters: `num_entities`, `num_relations`, `dim` is $k$, `gamma` is $\\gamma$,
`adversarial_temperature` is $\\alpha$.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class RotatE(nn.Module):
    """Complex entity embeddings, relation phases, and the self-adversarial sampling loss."""

    def __init__(
        self,
        num_entities: int = 64,
        num_relations: int = 8,
        dim: int = 16,
        gamma: float = 12.0,
        adversarial_temperature: float = 1.0,
    ) -> None:
        super().__init__()
        self.gamma = gamma
        self.adversarial_temperature = adversarial_temperature
        # Uniform init in [-(gamma + 2) / k, (gamma + 2) / k], as in the authors' code
        bound = (gamma + 2.0) / dim
        # Entities in C^k, stored as real pairs (re, im): [num_entities, k, 2]
        self.entity = nn.Parameter(torch.empty(num_entities, dim, 2).uniform_(-bound, bound))
        # Relation phases theta_r: [num_relations, k]
        self.phase = nn.Parameter(torch.empty(num_relations, dim).uniform_(-math.pi, math.pi))

    def distance(self, head: torch.Tensor, relation: torch.Tensor, tails: torch.Tensor) -> torch.Tensor:
        """head, relation: [B]; tails: [B, N] -> d_r(h, t_n): [B, N]."""
        h = torch.view_as_complex(self.entity[head]).unsqueeze(1)
        t = torch.view_as_complex(self.entity[tails])
        theta = self.phase[relation]
        # r = e^{i theta_r}, |r_j| = 1
        r = torch.polar(torch.ones_like(theta), theta).unsqueeze(1)
        # d_r(h, t) = sum_j |h_j r_j - t_j|
        return (h * r - t).abs().sum(dim=-1)

    def forward(
        self,
        head: torch.Tensor,
        relation: torch.Tensor,
        tail: torch.Tensor,
        negative_tail: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """head, relation, tail: [B]; negative_tail: [B, N] -> scores [B], [B, N] and the loss []."""
        # f_r(h, t) = gamma - d_r(h, t)
        score = self.gamma - self.distance(head, relation, tail.unsqueeze(-1)).squeeze(-1)
        negative_score = self.gamma - self.distance(head, relation, negative_tail)
        # p(h, r, t'_i) = softmax_i(alpha f_r(h, t'_i)), constant in the gradient
        weight = F.softmax(self.adversarial_temperature * negative_score, dim=-1).detach()
        # L = -log sigma(gamma - d) - sum_i p_i log sigma(d'_i - gamma)
        positive_term = -F.logsigmoid(score)
        negative_term = -(weight * F.logsigmoid(-negative_score)).sum(dim=-1)
        loss = (positive_term + negative_term).mean()
        return {"score": score, "negative_score": negative_score, "loss": loss}
