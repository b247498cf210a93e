"""BERT: a bidirectional Transformer encoder pre-trained by masked language modelling.

Paper: BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding -
https://arxiv.org/abs/1810.04805

The input is the sum of token, learned position and segment (sentence A / B) embeddings,
layer-normalized. A post-norm Transformer encoder with GELU feed-forward layers reads it with no
causal mask, so every token sees both directions. Two heads train it: the masked LM head
(dense, GELU, LayerNorm, then the output projection tied to the token embedding, plus a bias)
predicts the masked tokens, and the next sentence prediction (NSP) head classifies the pooled
`[CLS]` state $\\tanh(W h_0)$ as "B follows A" or not. The layout follows Hugging Face's
`BertModel` / `BertForPreTraining`.

Shapes: `forward(input_ids: [B, L], token_type_ids: [B, L])` ->
`{"mlm_logits": [B, L, V], "nsp_logits": [B, 2]}`.

Hyperparameters: `vocab_size` $V$ (30,522 WordPiece tokens; 64 here), `hidden` $H$ (768 in
BERT-base, 32 here), `layers` $L$ (12; 2 here), `heads` $A$ (12; 4 here), the feed-forward
width is $4H$, `max_positions` (512), `type_vocab_size` (2 segments), `dropout` (0.1).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.blocks import transformer_stack


class BertEmbeddings(nn.Module):
    """LayerNorm(token + position + segment embeddings), then dropout."""

    def __init__(
        self, vocab_size: int, hidden: int, max_positions: int, type_vocab_size: int, dropout: float
    ) -> None:
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, hidden)
        self.positions = nn.Embedding(max_positions, hidden)
        self.segments = nn.Embedding(type_vocab_size, hidden) if type_vocab_size else None
        self.norm = nn.LayerNorm(hidden)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """input_ids, token_type_ids: [B, L] -> [B, L, H]."""
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.tokens(input_ids) + self.positions(positions)
        if self.segments is not None:
            x = x + self.segments(torch.zeros_like(input_ids) if token_type_ids is None else token_type_ids)
        return self.dropout(self.norm(x))


class MaskedLMHead(nn.Module):
    """Dense, GELU, LayerNorm, then the decoder tied to the token embedding matrix plus a bias."""

    def __init__(self, hidden: int, embedding: nn.Embedding) -> None:
        super().__init__()
        self.transform = nn.Linear(hidden, embedding.embedding_dim)
        self.norm = nn.LayerNorm(embedding.embedding_dim)
        self.embedding = embedding
        self.bias = nn.Parameter(torch.zeros(embedding.num_embeddings))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        """h: [B, L, H] -> logits [B, L, V]."""
        return self.norm(F.gelu(self.transform(h))) @ self.embedding.weight.t() + self.bias


class BertEncoder(nn.Module):
    """Embeddings and a stack of post-norm GELU Transformer layers, with no attention mask."""

    def __init__(
        self,
        vocab_size: int,
        hidden: int,
        layers: int,
        heads: int,
        max_positions: int,
        type_vocab_size: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.embeddings = BertEmbeddings(vocab_size, hidden, max_positions, type_vocab_size, dropout)
        self.layers = transformer_stack(layers, hidden, heads, 4 * hidden, dropout=dropout)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """input_ids: [B, L] -> hidden states [B, L, H]."""
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            x = layer(x)
        return x


class BERT(nn.Module):
    """The encoder with BERT's two pre-training heads: masked LM and next sentence prediction."""

    def __init__(
        self,
        vocab_size: int = 64,
        hidden: int = 32,
        layers: int = 2,
        heads: int = 4,
        max_positions: int = 64,
        type_vocab_size: int = 2,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.encoder = BertEncoder(vocab_size, hidden, layers, heads, max_positions, type_vocab_size, dropout)
        self.mlm = MaskedLMHead(hidden, self.encoder.embeddings.tokens)
        self.pooler = nn.Linear(hidden, hidden)
        self.nsp = nn.Linear(hidden, 2)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> dict[str, torch.Tensor]:
        """input_ids, token_type_ids: [B, L] -> mlm_logits [B, L, V], nsp_logits [B, 2]."""
        h = self.encoder(input_ids, token_type_ids)
        # pooled = tanh(W h_[CLS] + b), the first position's state
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return {"mlm_logits": self.mlm(h), "nsp_logits": self.nsp(pooled)}
