"""MoCo: Momentum Contrast, a queue of keys from a momentum encoder as the negatives of an InfoNCE loss.

Paper: Momentum Contrast for Unsupervised Visual Representation Learning (He, Fan, Wu, Xie &
Girshick, 2020) - https://arxiv.org/abs/1911.05722

A query encoder $f_q$ embeds one view $q = f_q(x^q)$ and a key encoder $f_k$ the other,
$k_+ = f_k(x^k)$; the key encoder is a slowly moving average of the query encoder,
$\\theta_k \\leftarrow m\\theta_k + (1 - m)\\theta_q$ ($m = 0.999$), and past keys fill a queue of $K$
negatives. With L2-normalized embeddings the loss is InfoNCE,
$$\\mathcal{L}_q = -\\log \\frac{\\exp(q \\cdot k_+ / \\tau)}{\\exp(q \\cdot k_+ / \\tau) + \\sum_{k_-} \\exp(q \\cdot k_- / \\tau)},$$
after which the batch's keys are enqueued and the oldest dequeued. This is MoCo v1 (a linear
head, $\\tau = 0.07$), following the authors' `moco/builder.py`; MoCo v2 (MLP head, augmentations)
is its own entry. The encoder is a small CNN (paper: ResNet-50) and the queue holds `queue_size`
keys (paper 65,536), initialized with random unit vectors.

Shapes: `query_view: [N, C, H, W]`, `key_view: [N, C, H, W]` -> `loss: []`, `logits: [N, 1 + K]`,
`queue: [K, d]` (after the update).
"""

from __future__ import annotations

import copy

import torch
from torch import nn


def small_encoder(channels: int, dim: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(channels, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(32, dim),
    )  # fmt: skip


@torch.no_grad()
def momentum_update(target: nn.Module, online: nn.Module, m: float) -> None:
    """θ_k ← m θ_k + (1 − m) θ_q."""
    for k, q in zip(target.parameters(), online.parameters(), strict=True):
        k.mul_(m).add_(q.detach(), alpha=1 - m)


class MoCo(nn.Module):
    """Query encoder, momentum key encoder, a queue of negatives and the InfoNCE loss."""

    def __init__(
        self,
        channels: int = 3,
        dim: int = 32,
        queue_size: int = 64,
        momentum: float = 0.999,
        temperature: float = 0.07,
    ):
        super().__init__()
        self.query_encoder = small_encoder(channels, dim)
        self.key_encoder = copy.deepcopy(self.query_encoder).requires_grad_(False)
        self.register_buffer("queue", nn.functional.normalize(torch.randn(queue_size, dim), dim=1))
        self.momentum, self.temperature = momentum, temperature

    def forward(self, query_view: torch.Tensor, key_view: torch.Tensor) -> dict[str, torch.Tensor]:
        """query_view, key_view: [N, C, H, W] -> loss [], logits [N, 1 + K], queue [K, d]."""
        q = nn.functional.normalize(self.query_encoder(query_view), dim=1)
        with torch.no_grad():
            momentum_update(self.key_encoder, self.query_encoder, self.momentum)
            k = nn.functional.normalize(self.key_encoder(key_view), dim=1)
        # logits: [q·k+, q·k−...] / τ, the positive at index 0
        logits = torch.cat([(q * k).sum(dim=1, keepdim=True), q @ self.queue.T], dim=1) / self.temperature
        loss = nn.functional.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long, device=q.device))
        # enqueue the newest keys, dequeue the oldest
        queue = torch.cat([k, self.queue])[: self.queue.shape[0]]
        return {"loss": loss, "logits": logits, "queue": queue}
