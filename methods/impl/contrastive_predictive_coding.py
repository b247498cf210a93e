"""CPC: Contrastive Predictive Coding, predicting future latents from an autoregressive context with InfoNCE.

Paper: Representation Learning with Contrastive Predictive Coding (van den Oord, Li & Vinyals, 2018)
- https://arxiv.org/abs/1807.03748

An encoder maps the input sequence to latents $z_t = g_\\text{enc}(x_t)$ (strided 1D convolutions
on raw audio in the paper), an autoregressive model summarizes them into contexts
$c_t = g_\\text{ar}(z_{\\le t})$ (a GRU), and for each step ahead $k$ a log-bilinear score
$f_k(x_{t+k}, c_t) = \\exp(z_{t+k}^\\top W_k c_t)$ is trained with InfoNCE to pick the true future
latent among the others of the batch at that time (the negatives):
$$\\mathcal{L}_N = -\\mathbb{E}\\left[\\log \\frac{f_k(x_{t+k}, c_t)}{\\sum_{x_j \\in X} f_k(x_j, c_t)}\\right].$$
The demo encoder downsamples raw waveforms 16x with two convolutions (paper 160x with five),
and the loss averages over $k = 1..K$ and all valid $t$.

Shapes: `waveform: [B, 1, L]` -> `loss: []`, `context: [B, T, H]`, `accuracy: []` (share of
futures scored highest).
"""

from __future__ import annotations

import torch
from torch import nn


class CPC(nn.Module):
    """Convolutional encoder, GRU context, one bilinear predictor per step ahead, InfoNCE."""

    def __init__(self, latent_dim: int = 32, context_dim: int = 32, prediction_steps: int = 3):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv1d(1, latent_dim, 8, stride=4, padding=2), nn.ReLU(),
            nn.Conv1d(latent_dim, latent_dim, 8, stride=4, padding=2), nn.ReLU(),
        )  # fmt: skip
        self.autoregressive = nn.GRU(latent_dim, context_dim, batch_first=True)
        self.predictors = nn.ModuleList(
            nn.Linear(context_dim, latent_dim, bias=False) for _ in range(prediction_steps)
        )

    def forward(self, waveform: torch.Tensor) -> dict[str, torch.Tensor]:
        """waveform: [B, 1, L] -> loss [], context [B, T, H], accuracy []."""
        z = self.encoder(waveform).transpose(1, 2)  # [B, T, D]
        context, _ = self.autoregressive(z)
        b, t, _ = z.shape
        losses, correct, total = [], 0, 0
        for k, w in enumerate(self.predictors, start=1):
            if t <= k:
                break
            # scores[i, s, j] = z_{j, s+k}ᵀ W_k c_{i, s}: the batch's latents at t + k are the candidates
            predicted = w(context[:, : t - k])  # [B, T−k, D]
            scores = torch.einsum("isd,jsd->isj", predicted, z[:, k:])
            labels = torch.arange(b, device=z.device).expand(t - k, b).T
            losses.append(nn.functional.cross_entropy(scores.reshape(-1, b), labels.reshape(-1)))
            correct += int((scores.argmax(dim=-1) == labels).sum())
            total += labels.numel()
        return {
            "loss": torch.stack(losses).mean(),
            "context": context,
            "accuracy": torch.tensor(correct / max(total, 1)),
        }
