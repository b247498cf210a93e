"""Losses that PyTorch implements, adapted to the registry.

Reference: PyTorch loss functions - https://docs.pytorch.org/docs/stable/nn.html#loss-functions

Label smoothing is cross-entropy against the target mixed with the uniform
distribution, q' = (1 − ε)·onehot(y) + ε/K (Szegedy et al. 2016), which
`torch.nn.CrossEntropyLoss` takes as `label_smoothing = ε`. The triplet loss
max(d(a, p) − d(a, n) + α, 0) is `torch.nn.TripletMarginLoss` with margin α.
Shapes: `input: [N, K]` logits and `target: [N]` classes; anchors, positives
and negatives `[N, D]`; each returns the mean loss, a scalar `[]`.
"""

from __future__ import annotations

from torch import nn
from torch.nn import TripletMarginLoss

__all__ = ["TripletMarginLoss", "label_smoothing"]


def label_smoothing(label_smoothing: float) -> nn.CrossEntropyLoss:
    """Cross-entropy against (1 − ε)·onehot(y) + ε/K."""
    return nn.CrossEntropyLoss(label_smoothing=label_smoothing)
