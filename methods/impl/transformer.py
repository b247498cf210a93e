"""Transformer: the encoder-decoder built from attention and feed-forward layers alone.

Paper: Attention Is All You Need - https://arxiv.org/abs/1706.03762

An encoder of $N$ identical layers (self-attention, position-wise feed-forward) reads the source;
a decoder of $N$ layers (masked self-attention, attention over the encoder's output,
feed-forward) predicts each target token from the ones before it. Every sub-layer is wrapped as
$\\mathrm{LayerNorm}(x + \\mathrm{Dropout}(\\mathrm{Sublayer}(x)))$ (post-norm). Positions enter as
fixed sinusoids added to the token embeddings, which are multiplied by $\\sqrt{d_{model}}$; the
source embedding, target embedding and pre-softmax projection share one matrix (a joint BPE
vocabulary), as in the paper's Section 3.4.

$$\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}(Q K^\\top / \\sqrt{d_k}) V \\qquad
\\mathrm{FFN}(x) = \\max(0, x W_1 + b_1) W_2 + b_2$$

Shapes: `forward(src: [B, S], tgt: [B, T])` token ids -> `logits: [B, T, V]`.

Hyperparameters: `vocab_size` $V$, `d_model` $d_{model}$ (512 in the base model, 32 here),
`heads` $h$ (8), `d_ff` $d_{ff}$ (2048; 64 here), `num_layers` $N$ (6; 2 here), `dropout`
$P_{drop}$ (0.1).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from methods.impl.blocks import causal_mask, sinusoidal_positions, transformer_stack


class Transformer(nn.Module):
    """Post-norm encoder-decoder with shared embeddings and sinusoidal positions."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        heads: int = 4,
        d_ff: int = 64,
        num_layers: int = 2,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model)
        options = {"dropout": dropout, "activation": "relu", "norm_first": False}
        self.encoder = transformer_stack(num_layers, d_model, heads, d_ff, **options)
        self.decoder = transformer_stack(num_layers, d_model, heads, d_ff, cross=True, **options)
        self.dropout = nn.Dropout(dropout)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: [B, L] -> [B, L, D]: E x * sqrt(d_model) + PE."""
        scaled = self.embedding(ids) * math.sqrt(self.d_model)
        return self.dropout(scaled + sinusoidal_positions(ids.shape[1], self.d_model, ids.device))

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        """src: [B, S] -> memory [B, S, D]."""
        x = self.embed(src)
        for layer in self.encoder:
            x = layer(x)
        return x

    def decode(self, tgt: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        """tgt: [B, T], memory: [B, S, D] -> [B, T, D]; position t attends to targets <= t only."""
        y, mask = self.embed(tgt), causal_mask(tgt.shape[1], tgt.device)
        for layer in self.decoder:
            y = layer(y, mask=mask, memory=memory)
        return y

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        """src: [B, S], tgt: [B, T] -> logits [B, T, V] (pre-softmax projection tied to the embedding)."""
        return self.decode(tgt, self.encode(src)) @ self.embedding.weight.t()
