"""ALIGN: a dual encoder of images and noisy alt-texts trained with a normalized-softmax contrastive loss.

Paper: Scaling Up Visual and Vision-Language Representation Learning With Noisy Text Supervision
(Jia et al., 2021) - https://arxiv.org/abs/2102.05918

An image encoder and a text encoder map an image $x_i$ and its alt-text $y_i$ to L2-normalized
embeddings, and the loss is the sum of the image-to-text and text-to-image normalized softmax
losses over the batch,
$$L_{i2t} = -\\frac1N \\sum_i \\log \\frac{\\exp(x_i^\\top y_i / \\sigma)}{\\sum_j \\exp(x_i^\\top y_j / \\sigma)}, \\qquad
L_{t2i} = -\\frac1N \\sum_i \\log \\frac{\\exp(y_i^\\top x_i / \\sigma)}{\\sum_j \\exp(y_j^\\top x_i / \\sigma)},$$
with a temperature $\\sigma$ learned jointly (initialized here at 1/10; the paper learns it too
and reports it settles near 1/64). The paper's encoders are EfficientNet-L2 and BERT-Large on
1.8B pairs; the demo's are a small CNN and a mean of token embeddings with a linear layer.

Shapes: `images: [N, 3, H, W]`, `texts: [N, L]` token ids -> `loss: []`, `logits: [N, N]`
($x_i^\\top y_j / \\sigma$), `temperature: []`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class ALIGN(nn.Module):
    """Image and text encoders, a learned temperature and the symmetric normalized softmax loss."""

    def __init__(self, vocab_size: int = 1000, dim: int = 32, temperature: float = 0.1):
        super().__init__()
        self.image_encoder = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, dim, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )  # fmt: skip
        self.token_embedding = nn.Embedding(vocab_size, dim)
        self.text_projection = nn.Linear(dim, dim)
        self.log_temperature = nn.Parameter(torch.tensor(math.log(temperature)))

    def forward(self, images: torch.Tensor, texts: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: [N, 3, H, W], texts: [N, L] -> loss [], logits [N, N], temperature []."""
        x = nn.functional.normalize(self.image_encoder(images), dim=-1)
        y = nn.functional.normalize(self.text_projection(self.token_embedding(texts).mean(dim=1)), dim=-1)
        temperature = self.log_temperature.exp()
        logits = x @ y.T / temperature
        labels = torch.arange(images.shape[0], device=images.device)
        # L = L_i2t + L_t2i
        loss = nn.functional.cross_entropy(logits, labels) + nn.functional.cross_entropy(logits.T, labels)
        return {"loss": loss, "logits": logits, "temperature": temperature}
