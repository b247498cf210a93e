"""BASE: Balanced Selection, class-balanced active learning by closeness to each class's decision boundary.

Paper: Active Learning at the ImageNet Scale (Emam et al., 2021) - https://arxiv.org/abs/2111.12880

Uncertainty sampling at scale picks mostly from a few confusing classes. BASE queries a batch
that is balanced across classes: for every class $c$ it ranks the unlabeled examples by their
distance to that class's decision boundary, approximated by the logit margin
$$d_c(x) = \\left| f_c(x) - \\max_{j \\ne c} f_j(x) \\right|,$$
and, class after class (round robin), takes the closest example not yet chosen until the
budget $b$ is spent, so each class gets about $b / C$ queries.

Shapes: `logits: [U, C]` (model scores on the unlabeled pool) -> `selected: [b]` (pool indices,
in query order), `query_class: [b]` (the class each was chosen for), `margins: [U, C]` ($d_c(x)$).
"""

from __future__ import annotations

import torch
from torch import nn


class BalancedSelection(nn.Module):
    """Round-robin over classes of the unlabeled example nearest each class's boundary."""

    def __init__(self, budget: int = 12):
        super().__init__()
        self.budget = budget

    def forward(self, logits: torch.Tensor) -> dict[str, torch.Tensor]:
        """logits: [U, C] -> selected [b], query_class [b], margins [U, C]."""
        pool, classes = logits.shape
        if self.budget > pool:
            raise ValueError(f"budget {self.budget} exceeds the pool of {pool}")
        # d_c(x) = |f_c(x) − max_{j≠c} f_j(x)|
        top2 = logits.topk(min(2, classes), dim=1).values
        best_other = torch.where(logits == top2[:, :1], top2[:, -1:], top2[:, :1])
        margins = (logits - best_other).abs()
        ranking = margins.argsort(dim=0).T.tolist()  # per class, pool indices nearest first
        cursor, taken, selected, query_class = [0] * classes, set(), [], []
        while len(selected) < self.budget:
            for c in range(classes):
                while ranking[c][cursor[c]] in taken:
                    cursor[c] += 1
                index = ranking[c][cursor[c]]
                taken.add(index)
                selected.append(index)
                query_class.append(c)
                if len(selected) == self.budget:
                    break
        device = logits.device
        return {
            "selected": torch.tensor(selected, device=device),
            "query_class": torch.tensor(query_class, device=device),
            "margins": margins,
        }
