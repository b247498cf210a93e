"""Knowledge Distillation: a student trained on a teacher's temperature-softened outputs.

Paper: Distilling the Knowledge in a Neural Network (Hinton, Vinyals & Dean, 2015)
- https://arxiv.org/abs/1503.02531

The teacher's logits $v$ and the student's $z$ are softened with a temperature $T$,
$q_i = \\exp(z_i / T) / \\sum_j \\exp(z_j / T)$, and the student minimizes a weighted sum of the
cross-entropy to the teacher's soft targets and the ordinary cross-entropy to the hard labels:
$$L = \\alpha\\, T^2\\, \\mathrm{KL}(p^T \\,\\|\\, q^T) + (1 - \\alpha)\\, \\mathrm{CE}(y, q^1).$$
The $T^2$ factor keeps the soft term's gradients, which scale as $1/T^2$, comparable when $T$
changes (the paper's remark). The KL differs from the soft cross-entropy by the teacher's
entropy, a constant for the student.

Shapes: `student_logits: [B, C]` (requires grad), `teacher_logits: [B, C]`, `labels: [B]`
-> `loss: []`, `soft_loss: []`, `hard_loss: []`.
"""

from __future__ import annotations

import torch
from torch import nn


class DistillationLoss(nn.Module):
    """α T² KL(teacher_T ‖ student_T) + (1 − α) CE(labels, student)."""

    def __init__(self, temperature: float = 4.0, alpha: float = 0.9):
        super().__init__()
        self.temperature, self.alpha = temperature, alpha

    def forward(
        self, student_logits: torch.Tensor, teacher_logits: torch.Tensor, labels: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """student_logits, teacher_logits: [B, C], labels: [B] -> loss, soft_loss, hard_loss."""
        t = self.temperature
        # T² KL(p^T ‖ q^T), averaged over the batch
        soft = (
            nn.functional.kl_div(
                nn.functional.log_softmax(student_logits / t, dim=-1),
                nn.functional.log_softmax(teacher_logits.detach() / t, dim=-1),
                reduction="batchmean",
                log_target=True,
            )
            * t**2
        )
        hard = nn.functional.cross_entropy(student_logits, labels)
        return {"loss": self.alpha * soft + (1 - self.alpha) * hard, "soft_loss": soft, "hard_loss": hard}
