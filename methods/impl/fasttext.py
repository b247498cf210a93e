"""fastText: a linear text classifier over the averaged embeddings of words and hashed word n-grams.

Paper: Bag of Tricks for Efficient Text Classification (Joulin, Grave, Bojanowski & Mikolov, 2017)
- https://arxiv.org/abs/1607.01759

A document is a bag of features: its word ids and its word bigrams, each bigram hashed into
one of `buckets` extra rows (the hashing trick). Their embeddings are averaged into a text
representation $h = \\frac1N \\sum_n x_n$ (an `nn.EmbeddingBag` with mean), and a linear layer
gives the class scores, $\\hat y = \\text{softmax}(B h)$, $h = A x$ in the paper's notation.
Bigram $(w_1, w_2)$ lands in bucket $(w_1 \\cdot 116049371 + w_2) \\bmod \\text{buckets}$, the
multiplier of fastText's `Dictionary::addWordNgrams`. The demo uses a 1,000-word vocabulary,
2,048 buckets and 16 dimensions (the paper: 10 hidden units, 10M buckets).

Shapes: `tokens: [B, T]` word ids -> `logits: [B, C]`, `features: [B, 2T − 1]` (the word and
bigram rows looked up).
"""

from __future__ import annotations

import torch
from torch import nn

BIGRAM_MULTIPLIER = 116049371


class FastText(nn.Module):
    """Mean of word and hashed-bigram embeddings, then a linear classifier."""

    def __init__(self, vocab_size: int = 1000, buckets: int = 2048, dim: int = 16, num_classes: int = 4):
        super().__init__()
        self.vocab_size, self.buckets = vocab_size, buckets
        self.embedding = nn.EmbeddingBag(vocab_size + buckets, dim, mode="mean")
        self.classifier = nn.Linear(dim, num_classes)

    def features(self, tokens: torch.Tensor) -> torch.Tensor:
        """Word ids followed by their bigrams' bucket rows: [B, 2T − 1]."""
        bigrams = (tokens[:, :-1] * BIGRAM_MULTIPLIER + tokens[:, 1:]) % self.buckets
        return torch.cat([tokens, self.vocab_size + bigrams], dim=1)

    def forward(self, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
        """tokens: [B, T] -> logits [B, C], features [B, 2T − 1]."""
        features = self.features(tokens)
        # h = (1/N) Σ_n x_n;  ŷ = B h
        return {"logits": self.classifier(self.embedding(features)), "features": features}
