"""Self-Learning by pseudo-labeling: a model's own confident predictions on unlabeled data become targets.

Paper: Pseudo-Label: The Simple and Efficient Semi-Supervised Learning Method for Deep Neural
Networks (Lee, 2013) - https://www.researchgate.net/publication/280581078

Self-training (self-learning) fits a model on labeled data and then trains it on unlabeled
examples labelled by its own predictions. Pseudo-Label does this within one objective:
the target of an unlabeled example is the class of maximum predicted probability,
$y'_i = \\arg\\max_c f_c(x_i)$, and the loss is
$$L = \\frac1n \\sum_{m} \\ell(y_m, f(x_m)) + \\alpha(t) \\frac{1}{n'} \\sum_{m} \\ell(y'_m, f(x'_m)),$$
with $\\alpha(t)$ ramped up from 0 over training. As FixMatch later did, only predictions whose
confidence reaches a threshold $\\tau$ are kept ($\\tau = 0$ keeps all, the paper's rule). The
model is a small MLP classifier; `alpha` is $\\alpha(t)$ at the current step.

Shapes: `labeled_x: [B, D]`, `labels: [B]`, `unlabeled_x: [U, D]` -> `loss: []`,
`pseudo_labels: [U]`, `mask: [U]` (1 where the pseudo-label is used).
"""

from __future__ import annotations

import torch
from torch import nn


class PseudoLabeling(nn.Module):
    """Supervised loss plus α times the loss on confident pseudo-labels of unlabeled data."""

    def __init__(
        self,
        in_features: int = 16,
        num_classes: int = 4,
        hidden: int = 32,
        alpha: float = 1.0,
        threshold: float = 0.0,
    ):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, num_classes))
        self.alpha, self.threshold = alpha, threshold

    def forward(
        self, labeled_x: torch.Tensor, labels: torch.Tensor, unlabeled_x: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """labeled_x: [B, D], labels: [B], unlabeled_x: [U, D] -> loss, pseudo_labels [U], mask [U]."""
        supervised = nn.functional.cross_entropy(self.model(labeled_x), labels)
        logits = self.model(unlabeled_x)
        # y' = argmax_c f_c(x'), kept where max_c f_c(x') ≥ τ
        confidence, pseudo = logits.detach().softmax(dim=-1).max(dim=-1)
        mask = (confidence >= self.threshold).to(logits.dtype)
        unsupervised = (nn.functional.cross_entropy(logits, pseudo, reduction="none") * mask).mean()
        return {"loss": supervised + self.alpha * unsupervised, "pseudo_labels": pseudo, "mask": mask}
