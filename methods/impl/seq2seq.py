"""Seq2Seq: an LSTM encoder reads the source into a vector; an LSTM decoder writes the target from it.

Paper: Sequence to Sequence Learning with Neural Networks - https://arxiv.org/abs/1409.3215

The encoder LSTM reads the source sentence *reversed* (the paper's trick that shortens the
distance between the first source and first target words) and its final hidden and cell states
$(h_S, c_S)$ - the fixed-size context - initialize a second, deep LSTM that models

$$p(y_1, \\ldots, y_T \\mid x_1, \\ldots, x_S) = \\prod_{t=1}^{T} p(y_t \\mid v, y_1, \\ldots, y_{t-1})$$

with a softmax over the target vocabulary at each step. Training feeds the gold previous token
(teacher forcing), which is what this forward does with `tgt` (the target shifted right).

Shapes: `forward(src: [B, S], tgt: [B, T])` token ids -> `logits: [B, T, V_tgt]`.

Hyperparameters: `src_vocab_size` (160,000 in the paper; 64 here), `tgt_vocab_size` (80,000; 64),
`embedding_dim` (1,000; 32), `hidden` (1,000 cells; 32), `layers` (4; 2).
"""

from __future__ import annotations

import torch
from torch import nn


class Seq2Seq(nn.Module):
    """Deep LSTM encoder over the reversed source, deep LSTM decoder started from its final state."""

    def __init__(
        self,
        src_vocab_size: int = 64,
        tgt_vocab_size: int = 64,
        embedding_dim: int = 32,
        hidden: int = 32,
        layers: int = 2,
    ) -> None:
        super().__init__()
        self.src_embedding = nn.Embedding(src_vocab_size, embedding_dim)
        self.tgt_embedding = nn.Embedding(tgt_vocab_size, embedding_dim)
        self.encoder = nn.LSTM(embedding_dim, hidden, layers, batch_first=True)
        self.decoder = nn.LSTM(embedding_dim, hidden, layers, batch_first=True)
        self.output = nn.Linear(hidden, tgt_vocab_size)

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        """src: [B, S], tgt: [B, T] (teacher-forced previous tokens) -> logits [B, T, V_tgt]."""
        # v = (h_S, c_S) of the encoder over x_S, ..., x_1
        _, context = self.encoder(self.src_embedding(src.flip(1)))
        states, _ = self.decoder(self.tgt_embedding(tgt), context)
        return self.output(states)
