"""Skip-gram and CBOW Word2Vec: word vectors trained to predict context words (or the centre word) with negative sampling.

Paper: Efficient Estimation of Word Representations in Vector Space (Mikolov, Chen, Corrado & Dean,
2013) - https://arxiv.org/abs/1301.3781

Both architectures slide a window of radius $m$ over the text. Skip-gram predicts each context
word $w_{t+j}$ from the centre word $w_t$; CBOW predicts the centre word from the average of its
context vectors. With negative sampling (Mikolov et al., 2013b) each prediction $(u, o)$ costs
$$-\\log\\sigma(v'^\\top_{o} v_u) - \\sum_{k=1}^{K} \\log\\sigma(-v'^\\top_{n_k} v_u), \\qquad n_k \\sim P_n(w) \\propto U(w)^{3/4},$$
with the noise distribution the unigram counts of the batch raised to 3/4. `mode` picks the
architecture; negatives come from a generator seeded with `seed`. gensim's `Word2Vec(sg=1|0)`
is the reference implementation.

Shapes: `tokens: [B, T]` word ids -> `loss: []`, `embeddings: [V, d]` (input vectors $v$),
`noise_distribution: [V]`.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn


class Word2Vec(nn.Module):
    """Skip-gram or CBOW with negative sampling over the windows of a batch of sentences."""

    def __init__(
        self,
        vocab_size: int = 200,
        dim: int = 16,
        window: int = 2,
        negatives: int = 5,
        mode: Literal["skip-gram", "cbow"] = "skip-gram",
        seed: int = 0,
    ):
        super().__init__()
        self.input_vectors = nn.Embedding(vocab_size, dim)
        self.output_vectors = nn.Embedding(vocab_size, dim)
        self.window, self.negatives, self.mode, self.seed = window, negatives, mode, seed

    def forward(self, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
        """tokens: [B, T] -> loss [], embeddings [V, d], noise_distribution [V]."""
        t = tokens.shape[1]
        offsets = [j for j in range(-self.window, self.window + 1) if j != 0]
        centres = torch.arange(self.window, t - self.window, device=tokens.device)
        if centres.numel() == 0:
            raise ValueError(f"sentences of {t} tokens are shorter than a window of radius {self.window}")
        # P_n(w) ∝ U(w)^(3/4)
        counts = torch.bincount(tokens.flatten(), minlength=self.input_vectors.num_embeddings).to(
            self.input_vectors.weight.dtype
        )
        noise = counts.pow(0.75)
        noise = noise / noise.sum()
        context = torch.stack([tokens[:, centres + j] for j in offsets], dim=-1)  # [B, C, 2m]
        centre = tokens[:, centres]  # [B, C]
        if self.mode == "skip-gram":
            # u = centre word, o = each context word
            u = self.input_vectors(centre)[:, :, None].expand(-1, -1, len(offsets), -1)
            o = context
        else:
            # u = mean of context vectors, o = centre word
            u = self.input_vectors(context).mean(dim=2, keepdim=True)
            o = centre[..., None]
        generator = torch.Generator().manual_seed(self.seed)
        sampled = torch.multinomial(
            noise.detach().cpu(), o.numel() * self.negatives, replacement=True, generator=generator
        )
        sampled = sampled.reshape(*o.shape, self.negatives).to(tokens.device)
        positive = nn.functional.logsigmoid((u * self.output_vectors(o)).sum(dim=-1))
        negative = nn.functional.logsigmoid(
            -(u[..., None, :] * self.output_vectors(sampled)).sum(dim=-1)
        ).sum(dim=-1)
        return {
            "loss": -(positive + negative).mean(),
            "embeddings": self.input_vectors.weight,
            "noise_distribution": noise,
        }
