"""Losses that PyTorch implements, adapted to the registry.

Reference: PyTorch loss functions - https://docs.pytorch.org/docs/stable/nn.html#loss-functions

Label smoothing is cross-entropy against the target mixed with the uniform
distribution, q' = (1 − ε)·onehot(y) + ε/K (Szegedy et al. 2016), which
`torch.nn.CrossEntropyLoss` takes as `label_smoothing = ε`. The triplet loss
max(d(a, p) − d(a, n) + α, 0) is `torch.nn.TripletMarginLoss` with margin α.
The Huber loss is quadratic within δ of the target and linear beyond
(`torch.nn.HuberLoss`); CTC and adaptive softmax wrap `torch.nn.CTCLoss` and
`torch.nn.AdaptiveLogSoftmaxWithLoss` (see their builders).
Shapes: `input: [N, K]` logits and `target: [N]` classes; anchors, positives
and negatives `[N, D]`; each returns the mean loss, a scalar `[]`.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import HuberLoss, TripletMarginLoss

__all__ = ["AdaptiveSoftmax", "HuberLoss", "TripletMarginLoss", "label_smoothing"]


def label_smoothing(label_smoothing: float) -> nn.CrossEntropyLoss:
    """Cross-entropy against (1 − ε)·onehot(y) + ε/K."""
    return nn.CrossEntropyLoss(label_smoothing=label_smoothing)


class CTCFromLogits(nn.Module):
    """`torch.nn.CTCLoss` on log-softmaxed logits, every sequence and target at its full length.

    CTC (Graves et al. 2006) sums the probabilities of every alignment of the
    target to the T frames (blanks and repeats allowed) by dynamic programming.
    """

    def __init__(self, blank: int, zero_infinity: bool) -> None:
        super().__init__()
        self.loss = nn.CTCLoss(blank=blank, zero_infinity=zero_infinity)

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """logits: [T, N, C] per-frame scores; targets: [N, S] labels (never the blank) -> the mean loss []."""
        t, n, _ = logits.shape
        input_lengths = torch.full((n,), t, dtype=torch.long, device=logits.device)
        target_lengths = torch.full((n,), targets.shape[1], dtype=torch.long, device=logits.device)
        return self.loss(logits.log_softmax(-1), targets, input_lengths, target_lengths)


class AdaptiveSoftmax(nn.Module):
    """Adaptive softmax (Grave et al. 2017): a head over frequent classes and narrower tail clusters.

    Wraps `torch.nn.AdaptiveLogSoftmaxWithLoss` (kept as `.module`) and names its two outputs.
    """

    def __init__(
        self, in_features: int, n_classes: int, cutoff1: int, cutoff2: int, div_value: float
    ) -> None:
        super().__init__()
        self.module = nn.AdaptiveLogSoftmaxWithLoss(
            in_features, n_classes, cutoffs=[cutoff1, cutoff2], div_value=div_value
        )

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> dict[str, torch.Tensor]:
        """input: [N, d] hidden states; target: [N] class ids -> log p(target) [N] and the mean loss []."""
        result = self.module(input, target)
        return {"target_log_prob": result.output, "loss": result.loss}
