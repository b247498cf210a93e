"""BART: a denoising autoencoder for sequence-to-sequence pre-training.

Paper: BART: Denoising Sequence-to-Sequence Pre-training for Natural Language Generation,
Translation, and Comprehension - https://arxiv.org/abs/1910.13461

BART corrupts text with a noising function and learns to reconstruct the original: a
bidirectional encoder (like BERT) reads the corrupted document and an autoregressive decoder
(like GPT) generates the original, attending to the encoder's final states. The architecture is
the standard post-norm Transformer encoder-decoder with GELU activations, learned position
embeddings, a LayerNorm on the embeddings, and one embedding matrix shared by encoder, decoder
and LM head. Text infilling, the best noising in the paper, replaces spans whose lengths are drawn
from Poisson($\\lambda = 3$) with a single `<mask>` token; that is data preparation, done before
this forward. Follows Hugging Face's `BartForConditionalGeneration`.

Shapes: `forward(input_ids: [B, S], decoder_input_ids: [B, T])` -> `logits: [B, T, V]`.

Hyperparameters: `vocab_size` $V$ (50,265; 64 here), `d_model` (768 in base; 32 here),
`layers` (6 per stack; 2), `heads` (12; 4), feed-forward width $4 d_{model}$, `max_positions`
(1,024; 64), `dropout` (0.1).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import causal_mask, transformer_stack


class BART(nn.Module):
    """Post-norm GELU encoder-decoder with learned positions and shared embeddings."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        layers: int = 2,
        heads: int = 4,
        max_positions: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.shared = nn.Embedding(vocab_size, d_model)
        self.encoder_positions = nn.Embedding(max_positions, d_model)
        self.decoder_positions = nn.Embedding(max_positions, d_model)
        self.encoder_norm, self.decoder_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.encoder = transformer_stack(layers, d_model, heads, 4 * d_model, dropout=dropout)
        self.decoder = transformer_stack(layers, d_model, heads, 4 * d_model, dropout=dropout, cross=True)
        self.dropout = nn.Dropout(dropout)
        self.final_bias = nn.Parameter(torch.zeros(vocab_size))

    def _embed(self, ids: torch.Tensor, positions: nn.Embedding, norm: nn.LayerNorm) -> torch.Tensor:
        x = self.shared(ids) + positions(torch.arange(ids.shape[1], device=ids.device))
        return self.dropout(norm(x))

    def forward(self, input_ids: torch.Tensor, decoder_input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids: [B, S] (corrupted), decoder_input_ids: [B, T] (shifted original) -> logits [B, T, V]."""
        memory = self._embed(input_ids, self.encoder_positions, self.encoder_norm)
        for layer in self.encoder:
            memory = layer(memory)
        y = self._embed(decoder_input_ids, self.decoder_positions, self.decoder_norm)
        mask = causal_mask(decoder_input_ids.shape[1], y.device)
        for layer in self.decoder:
            y = layer(y, mask=mask, memory=memory)
        return y @ self.shared.weight.t() + self.final_bias
