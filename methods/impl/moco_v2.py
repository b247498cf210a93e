"""MoCo v2: Momentum Contrast with an MLP projection head.

Paper: Improved Baselines with Momentum Contrastive Learning - https://arxiv.org/abs/2003.04297
(MoCo: Momentum Contrast for Unsupervised Visual Representation Learning - https://arxiv.org/abs/1911.05722)

MoCo learns visual features by contrasting a query $q$ (one augmented view encoded by the query
encoder $f_q$) with its positive key $k_+$ (another view of the same image encoded by the key
encoder $f_k$) against $K$ negative keys kept in a queue of earlier batches' keys. The key encoder
is not trained by gradients but follows the query encoder as an exponential moving average, which
keeps the queued keys consistent:

$$ \\theta_k \\leftarrow m \\theta_k + (1 - m) \\theta_q $$
$$ \\mathcal{L}_q = -\\log \\frac{\\exp(q \\cdot k_+ / \\tau)}{\\exp(q \\cdot k_+ / \\tau) + \\sum_{i=1}^{K} \\exp(q \\cdot k_i / \\tau)} $$

with $q, k$ L2-normalized. After each step the batch's keys are enqueued and the oldest dequeued.
MoCo v2 replaces v1's linear projection with a 2-layer MLP head (ReLU) and uses $\\tau = 0.2$ (its
other changes, blur augmentation and a cosine schedule, live outside the model).

The encoder here is a tiny ResNet (two basic blocks) instead of ResNet-50. MoCo's shuffling BN
across GPUs is a no-op on one device (batch statistics do not depend on sample order), so it is
omitted. The queue is initialized from torch's RNG as random unit vectors.

Shapes: `forward(im_q: [B, 3, H, W], im_k: [B, 3, H, W])` ->
`{"logits": [B, 1 + K], "labels": [B] (all 0, the positive's column), "loss": []}`.

Hyperparameters: `feature_dim` $C$ (128 in the paper), `queue_size` $K$ (65536), `momentum` $m$
(0.999), `temperature` $\\tau$ (0.2), `width` (the toy ResNet's base width).
"""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch import nn


class BasicBlock(nn.Module):
    """ResNet basic block: ReLU(BN(conv(ReLU(BN(conv(x))))) + shortcut(x))."""

    def __init__(self, in_channels: int, channels: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, channels, 1, stride, bias=False), nn.BatchNorm2d(channels)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W] -> [B, C, H / stride, W / stride]."""
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.shortcut(x))


class Encoder(nn.Module):
    """Tiny ResNet backbone plus MoCo v2's 2-layer MLP head: fc(ReLU(fc(avgpool(features))))."""

    def __init__(self, width: int, feature_dim: int) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, width, 3, 1, 1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            BasicBlock(width, width, 1),
            BasicBlock(width, 2 * width, 2),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.head = nn.Sequential(
            nn.Linear(2 * width, 2 * width), nn.ReLU(), nn.Linear(2 * width, feature_dim)
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [B, 3, H, W] -> [B, C] (not normalized)."""
        return self.head(self.backbone(image))


class MoCoV2(nn.Module):
    """Query encoder, momentum key encoder and a queue of negative keys."""

    queue: torch.Tensor
    queue_ptr: torch.Tensor

    def __init__(
        self,
        feature_dim: int = 16,
        queue_size: int = 64,
        momentum: float = 0.999,
        temperature: float = 0.2,
        width: int = 8,
    ) -> None:
        super().__init__()
        self.encoder_q = Encoder(width, feature_dim)
        self.encoder_k = copy.deepcopy(self.encoder_q).requires_grad_(False)
        self.register_buffer("queue", F.normalize(torch.randn(feature_dim, queue_size), dim=0))
        self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))
        self.momentum, self.temperature = momentum, temperature

    @torch.no_grad()
    def momentum_update(self) -> None:
        """Moves every key-encoder parameter towards its query-encoder twin."""
        for param_q, param_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters(), strict=True):
            # theta_k <- m theta_k + (1 - m) theta_q
            param_k.mul_(self.momentum).add_(param_q.detach(), alpha=1.0 - self.momentum)

    @torch.no_grad()
    def dequeue_and_enqueue(self, keys: torch.Tensor) -> None:
        """keys: [N, C] overwrite the N oldest queue columns (wrapping around); the pointer advances by N.
        A batch larger than the queue keeps only its last K keys."""
        size = self.queue.shape[1]
        keys = keys[-size:]
        columns = (self.queue_ptr + torch.arange(keys.shape[0], device=keys.device)) % size
        self.queue[:, columns] = keys.t().to(self.queue.dtype)
        self.queue_ptr.copy_((self.queue_ptr + keys.shape[0]) % size)

    def forward(self, im_q: torch.Tensor, im_k: torch.Tensor) -> dict[str, torch.Tensor]:
        """im_q, im_k: [B, 3, H, W], two augmented views ->
        {"logits": [B, 1 + K], "labels": [B], "loss": []}."""
        q = F.normalize(self.encoder_q(im_q), dim=1)
        with torch.no_grad():
            self.momentum_update()
            k = F.normalize(self.encoder_k(im_k), dim=1)
        # l_pos = q . k_+,  l_neg = q . queue
        l_pos = torch.einsum("nc,nc->n", q, k).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", q, self.queue.clone().detach())
        logits = torch.cat([l_pos, l_neg], dim=1) / self.temperature
        labels = torch.zeros(logits.shape[0], dtype=torch.long, device=logits.device)
        # InfoNCE: cross-entropy with the positive in column 0
        loss = F.cross_entropy(logits, labels)
        self.dequeue_and_enqueue(k)
        return {"logits": logits, "labels": labels, "loss": loss}
