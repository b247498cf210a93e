"""Feature Selection by sequential forward selection: greedily add the feature that most lowers the error.

Paper: Feature Selection and Feature Extraction in Pattern Analysis: A Literature Review
(Mitra et al., 2019) - https://arxiv.org/abs/1905.02845

Feature selection keeps a subset $S$ of the $D$ input variables. Sequential forward selection
(Whitney, 1971), the wrapper method the review describes first, starts from $S = \\emptyset$ and,
$k$ times, adds the feature $j \\notin S$ that minimizes the criterion of a model fitted on
$S \\cup \\{j\\}$, here the residual sum of squares of a least-squares fit with intercept:
$$j^* = \\arg\\min_{j \\notin S} \\min_{\\beta} \\lVert y - X_{S \\cup \\{j\\}} \\beta - \\beta_0 \\rVert^2.$$
scikit-learn's `SequentialFeatureSelector(direction="forward")` is the familiar implementation
(it scores by cross-validation; this one by the training RSS, deterministic and cheap).

Shapes: `x: [N, D]`, `y: [N]` -> `selected: [k]` (feature indices in the order added),
`rss: [k]` (the criterion after each addition), `mask: [D]` (1 for a selected feature).
"""

from __future__ import annotations

import torch
from torch import nn


def residual_sum_of_squares(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """min_β ‖y − [1, x] β‖²."""
    design = torch.cat([torch.ones_like(x[:, :1]), x], dim=1)
    beta = torch.linalg.pinv(design) @ y
    return (y - design @ beta).square().sum()


class SequentialForwardSelection(nn.Module):
    """Selects `n_features` columns of `x` that best predict `y` linearly, one at a time."""

    def __init__(self, n_features: int = 3):
        super().__init__()
        self.n_features = n_features

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, D], y: [N] -> selected [k], rss [k], mask [D]."""
        if self.n_features > x.shape[1]:
            raise ValueError(f"n_features {self.n_features} exceeds the {x.shape[1]} features")
        selected: list[int] = []
        criteria = []
        for _ in range(self.n_features):
            candidates = [j for j in range(x.shape[1]) if j not in selected]
            scores = torch.stack([residual_sum_of_squares(x[:, [*selected, j]], y) for j in candidates])
            best = int(scores.argmin())
            selected.append(candidates[best])
            criteria.append(scores[best])
        mask = torch.zeros(x.shape[1], device=x.device)
        mask[selected] = 1.0
        return {
            "selected": torch.tensor(selected, device=x.device),
            "rss": torch.stack(criteria),
            "mask": mask,
        }
